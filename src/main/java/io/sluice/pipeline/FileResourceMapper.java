package io.sluice.pipeline;

import io.sluice.pipeline.FilesystemSourceSpec.CsvOptions;
import io.sluice.pipeline.FilesystemSourceSpec.FileColumns;
import io.sluice.pipeline.FilesystemSourceSpec.FileResource;
import io.sluice.pipeline.FilesystemSourceSpec.Format;
import io.sluice.proto.v1.FileFormat;
import io.sluice.proto.v1.Resource;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;
import java.util.Optional;

/** Maps one resource of a {@code filesystem} source, checking each field it reads. */
final class FileResourceMapper {
    private final Resource resource;
    private final String at;
    private final SpecProblems problems;

    private FileResourceMapper(Resource resource, String at, SpecProblems problems) {
        this.resource = resource;
        this.at = at;
        this.problems = problems;
    }

    /**
     * @param at the resource's field path
     * @param tables the table each earlier resource loads into, with its resource name; this one's is added
     */
    static Optional<FileResource> map(Resource resource, String at, Map<String, String> tables, SpecProblems problems,
                                      DestinationChecks checks) {
        return new FileResourceMapper(resource, at, problems).fileResource(tables, checks);
    }

    /** The fields only a filesystem resource has are refused, not ignored, in a resource of another source kind. */
    static void refuseFileFields(Resource resource, String at, SpecProblems problems) {
        ResourceMapper.notFor(at + ".glob", !resource.getGlob().isEmpty(), "filesystem", problems);
        ResourceMapper.notFor(at + ".format", resource.getFormatValue() != 0, "filesystem", problems);
        ResourceMapper.notFor(at + ".csv", resource.hasCsv(), "filesystem", problems);
        ResourceMapper.notFor(at + ".file_columns", resource.hasFileColumns(), "filesystem", problems);
        ResourceMapper.notFor(at + ".compression", resource.getCompressionValue() != 0, "filesystem", problems);
        ResourceMapper.notFor(at + ".changed_files_only", resource.getChangedFilesOnly(), "filesystem", problems);
    }

    private Optional<FileResource> fileResource(Map<String, String> tables, DestinationChecks checks) {
        int mark = problems.mark();
        Optional<ResourceMapper.Common> common = ResourceMapper.common(resource, at, tables, problems, checks);
        if (resource.getGlob().isEmpty()) {
            problems.invalid(at + ".glob", "required, e.g. \"events/*.jsonl\"");
        }
        Optional<Format> format = format();
        Optional<CsvOptions> csv = csv();
        Optional<Boolean> gzip = gzip();
        FileColumns fileColumns = fileColumns();
        ResourceMapper.notFor(at + ".endpoint", resource.hasEndpoint(), "rest_api", problems);
        ResourceMapper.notFor(at + ".paginator", resource.hasPaginator(), "rest_api", problems);
        ResourceMapper.notFor(at + ".include_from_parent", resource.getIncludeFromParentCount() > 0, "rest_api", problems);
        ResourceMapper.notFor(at + ".table", !resource.getTable().isEmpty(), "sql_database", problems);
        ResourceMapper.notFor(at + ".query", !resource.getQuery().isEmpty(), "sql_database", problems);
        ResourceMapper.notFor(at + ".included_columns", resource.getIncludedColumnsCount() > 0, "sql_database", problems);
        return problems.buildIfClean(mark, () -> new FileResource(
                resource.getName(),
                common.orElseThrow().tableName(),
                resource.getGlob(),
                format,
                csv.orElseThrow(),
                gzip,
                fileColumns,
                resource.getChangedFilesOnly(),
                common.orElseThrow().hints(),
                common.orElseThrow().incremental()));
    }

    /** The file format; empty to decide per file by its extension (or when refused: then a problem says so). */
    private Optional<Format> format() {
        return switch (resource.getFormat()) {
            case FILE_FORMAT_UNSPECIFIED -> Optional.empty();
            case JSONL -> Optional.of(Format.JSONL);
            case JSON_ARRAY -> Optional.of(Format.JSON_ARRAY);
            case CSV -> Optional.of(Format.CSV);
            case PARQUET -> Optional.of(Format.PARQUET);
            case UNRECOGNIZED -> problems.unrecognized(at + ".format", resource.getFormatValue(), FileFormat.getDescriptor());
        };
    }

    private Optional<CsvOptions> csv() {
        io.sluice.proto.v1.CsvOptions csv = resource.getCsv();
        CsvOptions defaults = CsvOptions.DEFAULT;
        Optional<Character> delimiter = character(".csv.delimiter", csv.getDelimiter(), Optional.of(defaults.delimiter()));
        Optional<Character> quote = character(".csv.quote", csv.getQuote(), Optional.of(defaults.quote()));
        Optional<Character> escape = character(".csv.escape", csv.getEscape(), Optional.empty());
        Charset encoding = defaults.encoding();
        if (!csv.getEncoding().isEmpty()) {
            try {
                encoding = Charset.forName(csv.getEncoding());
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                problems.invalid(at + ".csv.encoding", "unknown charset '" + csv.getEncoding()
                        + "', e.g. UTF-8, ISO-8859-1, windows-1252");
                return Optional.empty();
            }
        }
        if (delimiter.isEmpty() || quote.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CsvOptions(delimiter.get(), !csv.hasHeader() || csv.getHeader(), quote.get(), escape, encoding));
    }

    /** One character, or {@code unset} when none is given; empty with a problem when more are given. */
    private Optional<Character> character(String field, String value, Optional<Character> unset) {
        if (value.length() > 1) {
            problems.invalid(at + field, "must be a single character");
            return Optional.empty();
        }
        return value.isEmpty() ? unset : Optional.of(value.charAt(0));
    }

    private Optional<Boolean> gzip() {
        return switch (resource.getCompression()) {
            case COMPRESSION_UNSPECIFIED -> Optional.empty();
            case UNCOMPRESSED -> Optional.of(false);
            case GZIP -> Optional.of(true);
            case UNRECOGNIZED -> problems.unrecognized(at + ".compression", resource.getCompressionValue(),
                    Resource.Compression.getDescriptor());
        };
    }

    private FileColumns fileColumns() {
        io.sluice.proto.v1.FileColumns columns = resource.getFileColumns();
        if (resource.hasFileColumns() && columns.getName().isEmpty() && columns.getModified().isEmpty()) {
            problems.invalid(at + ".file_columns", "name a column for the file's name, its modification time or both,"
                    + " e.g. { name: _file_name, modified: _file_modified }");
        }
        if (!columns.getName().isEmpty() && columns.getName().equals(columns.getModified())) {
            problems.invalid(at + ".file_columns.modified", "the file's name and modification time need different columns");
        }
        return new FileColumns(PipelineSpecMapper.optional(columns.getName()), PipelineSpecMapper.optional(columns.getModified()));
    }
}
