package io.sluice.api;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.util.Comparator;
import java.util.List;

/** Every RPC of every service the API defines, found among the generated classes, so that a new one cannot be missed. */
final class SluiceServices {
    private SluiceServices() {
    }

    static List<MethodDescriptor<?, ?>> methods() {
        return new ClassFileImporter().importPackages("io.sluice.proto.v1").stream()
                .filter(generated -> generated.getSimpleName().endsWith("Grpc") && !generated.getSimpleName().startsWith("Mutiny")
                        && !generated.isNestedClass())
                .map(SluiceServices::service)
                .flatMap(service -> service.getMethods().stream())
                .<MethodDescriptor<?, ?>>map(method -> method)
                .sorted(Comparator.comparing(MethodDescriptor::getFullMethodName))
                .toList();
    }

    private static ServiceDescriptor service(JavaClass generated) {
        try {
            return (ServiceDescriptor) generated.reflect().getMethod("getServiceDescriptor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("a generated service class has getServiceDescriptor: " + generated.getName(), e);
        }
    }
}
