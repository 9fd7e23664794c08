package io.sluice.cli;

import io.sluice.pipeline.LabelSelector;
import picocli.CommandLine;

/** Reads {@code --selector team=billing,tier=gold}; a malformed one is a usage error naming the pair. */
class SelectorConverter implements CommandLine.ITypeConverter<LabelSelector> {
    @Override
    public LabelSelector convert(String text) {
        try {
            return LabelSelector.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
