package io.sluice.pipeline;

import io.sluice.proto.v1.MaskTransform;
import io.sluice.proto.v1.Transform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a spec's {@code transforms} to {@link TransformSpec}s: each names a resource of the source, at least one field
 * path, and what a mask needs (a key secret for HMAC_SHA256, a length for TRUNCATE) and nothing it does not. A field
 * is changed by one transform at most, and never one the resource's incremental cursor is read from, since the
 * cursor's last value is kept in the pipeline state as the source gave it.
 */
final class TransformMapper {
    private final SpecProblems problems;

    TransformMapper(SpecProblems problems) {
        this.problems = problems;
    }

    /** @param source the spec's source when it was mapped without problems, to check the resource names against */
    Optional<List<TransformSpec>> map(List<Transform> transforms, Optional<SourceSpec> source) {
        int mark = problems.mark();
        Map<String, Map<FieldPath, String>> changed = new HashMap<>();
        List<Optional<TransformSpec>> mapped = new ArrayList<>();
        for (int i = 0; i < transforms.size(); i++) {
            String path = "transforms[" + i + "]";
            Optional<TransformSpec> transform = transform(transforms.get(i), path, source);
            transform.ifPresent(spec -> checkFields(spec, path, source, changed.computeIfAbsent(spec.resource(), name -> new HashMap<>())));
            mapped.add(transform);
        }
        return problems.buildIfClean(mark, () -> mapped.stream().map(Optional::orElseThrow).toList());
    }

    private Optional<TransformSpec> transform(Transform transform, String path, Optional<SourceSpec> source) {
        int mark = problems.mark();
        String resource = transform.getResource();
        if (resource.isEmpty()) {
            problems.invalid(path + ".resource", "required: the name of a resource of the source");
        } else if (source.isPresent() && resource(source.get(), resource).isEmpty() && !discoversResources(source.get())) {
            problems.invalid(path + ".resource", "'" + resource + "' is not a resource of the source; it has "
                    + source.get().resources().stream().map(ResourceSpec::name).toList());
        }
        return switch (transform.getKindCase()) {
            case MASK -> mask(transform.getMask(), resource, path + ".mask", mark);
            case DROP -> {
                List<FieldPath> columns = columns(transform.getDrop().getColumnsList(), path + ".drop.columns");
                yield problems.buildIfClean(mark, () -> new TransformSpec.Drop(resource, columns));
            }
            case KIND_NOT_SET -> {
                problems.invalid(path, "required: one of mask, drop");
                yield Optional.empty();
            }
        };
    }

    private Optional<TransformSpec> mask(MaskTransform mask, String resource, String path, int mark) {
        List<FieldPath> columns = columns(mask.getColumnsList(), path + ".columns");
        MaskTransform.Method method = mask.getMethod();
        if (method != MaskTransform.Method.HMAC_SHA256 && !mask.getKeySecret().isEmpty()) {
            // Not echoed: what is there may be the key itself.
            problems.invalid(path + ".key_secret", "only HMAC_SHA256 uses a key; remove it");
        }
        if (method != MaskTransform.Method.TRUNCATE && mask.getKeepCharacters() != 0) {
            problems.invalid(path + ".keep_characters", "only TRUNCATE keeps characters; remove it");
        }
        return switch (method) {
            case HMAC_SHA256 -> {
                keySecret(mask.getKeySecret(), path + ".key_secret");
                yield problems.buildIfClean(mark, () -> new TransformSpec.HmacSha256(resource, columns, mask.getKeySecret()));
            }
            case REDACT -> problems.buildIfClean(mark, () -> new TransformSpec.Redact(resource, columns));
            case TRUNCATE -> {
                if (mask.getKeepCharacters() < 1) {
                    problems.invalid(path + ".keep_characters", (mask.getKeepCharacters() == 0 ? "required"
                            : "got " + mask.getKeepCharacters()) + ": how many characters to keep, at least 1");
                }
                yield problems.buildIfClean(mark, () -> new TransformSpec.Truncate(resource, columns, mask.getKeepCharacters()));
            }
            case METHOD_UNSPECIFIED -> {
                problems.invalid(path + ".method", "required: one of HMAC_SHA256, REDACT, TRUNCATE");
                yield Optional.empty();
            }
            case UNRECOGNIZED -> problems.unrecognized(path + ".method", mask.getMethodValue(), MaskTransform.Method.getDescriptor());
        };
    }

    private List<FieldPath> columns(List<String> columns, String path) {
        if (columns.isEmpty()) {
            problems.invalid(path, "at least one field path is required, e.g. email or user.email");
        }
        List<FieldPath> parsed = new ArrayList<>();
        for (int j = 0; j < columns.size(); j++) {
            try {
                parsed.add(FieldPath.parse(columns.get(j)));
            } catch (IllegalArgumentException e) {
                problems.invalid(path + "[" + j + "]", e.getMessage());
            }
        }
        return parsed;
    }

    private void keySecret(String name, String field) {
        if (name.isEmpty()) {
            problems.invalid(field, "required for HMAC_SHA256: the name of the secret holding the key");
        } else {
            SecretReference.check(field, name, true, problems);
        }
    }

    /**
     * A field another transform changed already would be changed twice, in an order easy to misread; the incremental
     * cursor's original value would be kept in the pipeline state.
     *
     * @param changed the fields of the transform's resource changed so far, with the field path of their transform
     */
    private void checkFields(TransformSpec transform, String path, Optional<SourceSpec> source, Map<FieldPath, String> changed) {
        Optional<List<String>> cursor = source.flatMap(spec -> resource(spec, transform.resource()))
                .flatMap(ResourceSpec::incremental).map(IncrementalSpec::cursorPath);
        String columnsPath = path + (transform instanceof TransformSpec.Drop ? ".drop" : ".mask") + ".columns";
        List<FieldPath> columns = transform.columns();
        for (int j = 0; j < columns.size(); j++) {
            FieldPath column = columns.get(j);
            String field = columnsPath + "[" + j + "]";
            String earlier = changed.putIfAbsent(column, field);
            if (earlier != null) {
                problems.invalid(field, "'" + column + "' is changed by " + earlier + " already");
            }
            if (cursor.filter(column::covers).isPresent()) {
                problems.invalid(field, "'" + column + "' holds the resource's incremental cursor, whose last value is kept"
                        + " unmasked in the pipeline state; mask another field or read incrementally on another one");
            }
        }
    }

    private static Optional<? extends ResourceSpec> resource(SourceSpec source, String name) {
        return source.resources().stream().filter(resource -> resource.name().equals(name)).findFirst();
    }

    /** An SQL database that finds tables beyond its resources has resources the spec cannot list. */
    private static boolean discoversResources(SourceSpec source) {
        return source instanceof SqlDatabaseSourceSpec database && database.discovers();
    }
}
