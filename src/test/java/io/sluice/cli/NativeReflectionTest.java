package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

/** The classes named for the native build by text still exist: a rename would otherwise go unnoticed until a native run. */
class NativeReflectionTest {
    @Test
    void everyNamedClassExists() {
        for (String name : NativeReflection.class.getAnnotation(RegisterForReflection.class).classNames()) {
            assertDoesNotThrow(() -> Class.forName(name, false, NativeReflectionTest.class.getClassLoader()), name);
        }
    }
}
