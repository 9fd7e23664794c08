package io.sluice.cli;

import static java.util.Objects.requireNonNull;

import io.sluice.proto.v1.Pipeline;
import java.nio.file.Path;
import java.util.List;

/** What {@code apply} does to one pipeline to make the service match the directory. */
sealed interface PlannedChange {
    String name();

    /** The plan's line for this change, e.g. {@code ~ update orders (fields: description, source)}. */
    String line();

    /** A change that writes a spec; {@code etag} is the one the plan read, empty for a pipeline that did not exist. */
    sealed interface Write extends PlannedChange {
        Pipeline desired();

        Path file();

        String etag();

        @Override
        default String name() {
            return desired().getName();
        }
    }

    record Create(Pipeline desired, Path file) implements Write {
        public Create {
            requireNonNull(desired, "desired is null");
            requireNonNull(file, "file is null");
        }

        @Override
        public String etag() {
            return "";
        }

        @Override
        public String line() {
            return "+ create " + name() + " (from " + file + ")";
        }
    }

    record Update(Pipeline desired, Path file, String etag, List<String> fields) implements Write {
        public Update {
            requireNonNull(desired, "desired is null");
            requireNonNull(file, "file is null");
            requireNonNull(etag, "etag is null");
            fields = List.copyOf(fields);
        }

        @Override
        public String line() {
            return "~ update " + name() + " (fields: " + String.join(", ", fields) + ")";
        }
    }

    record Delete(String name, String etag) implements PlannedChange {
        public Delete {
            requireNonNull(name, "name is null");
            requireNonNull(etag, "etag is null");
        }

        @Override
        public String line() {
            return "- delete " + name;
        }
    }

    record Unchanged(String name) implements PlannedChange {
        public Unchanged {
            requireNonNull(name, "name is null");
        }

        @Override
        public String line() {
            return "= unchanged " + name;
        }
    }
}
