package io.sluice.pipeline;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;

/** Checks the JSONPath expressions of a spec when it is read, so a bad one fails validation, not a run. */
final class JsonPaths {
    private JsonPaths() {
    }

    static void check(String path, String field, SpecProblems problems) {
        try {
            JsonPath.compile(path);
        } catch (InvalidPathException | IllegalArgumentException e) {
            problems.invalid(field, "'" + path + "' is not a JSONPath: " + e.getMessage());
        }
    }
}
