package io.sluice.cli;

import io.sluice.catalog.Refresh;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The refresh options of {@code run} and {@code runs trigger}: {@code --refresh MODE [--resource NAME]...}. */
final class RefreshOptions {
    @Option(names = "--refresh", required = true, paramLabel = "MODE", converter = ModeConverter.class,
            description = "Before loading, in the load's transaction: drop-sources (every table and all state of the pipeline),"
                    + " drop-resources (the resources' tables and state) or drop-data (empty the resources' tables, reset their state).")
    Refresh.Mode mode;

    @Option(names = "--resource", paramLabel = "NAME",
            description = "A resource the refresh applies to; repeat it for more. None: every resource.")
    List<String> resources = new ArrayList<>();

    Refresh refresh() {
        return new Refresh(mode, resources);
    }

    /** Modes as users type them: {@code drop-data}, as well as {@code DROP_DATA}. */
    static final class ModeConverter implements ITypeConverter<Refresh.Mode> {
        @Override
        public Refresh.Mode convert(String value) {
            String name = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            return Arrays.stream(Refresh.Mode.values())
                    .filter(mode -> mode.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new TypeConversionException("'" + value + "' is not a refresh mode; use one of "
                            + Arrays.stream(Refresh.Mode.values())
                                    .map(mode -> mode.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                                    .collect(Collectors.joining(", "))));
        }
    }
}
