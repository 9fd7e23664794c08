package io.sluice.cli;

import com.google.protobuf.Value;
import io.grpc.Channel;
import io.sluice.proto.v1.ColumnDefinition;
import io.sluice.proto.v1.DatasetSchema;
import io.sluice.proto.v1.DatasetServiceGrpc;
import io.sluice.proto.v1.GetSchemaRequest;
import io.sluice.proto.v1.PreviewRow;
import io.sluice.proto.v1.PreviewTableRequest;
import io.sluice.proto.v1.PreviewTableResponse;
import io.sluice.proto.v1.SchemaVersion;
import io.sluice.proto.v1.TableDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "datasets", mixinStandardHelpOptions = true, description = "What a pipeline's loads made: schema and rows.",
        subcommands = {DatasetsCommand.Schema.class, DatasetsCommand.Preview.class})
class DatasetsCommand {

    abstract static class Client extends ServiceCommand<DatasetServiceGrpc.DatasetServiceBlockingStub> {
        @Override
        DatasetServiceGrpc.DatasetServiceBlockingStub stub(Channel channel) {
            return DatasetServiceGrpc.newBlockingStub(channel);
        }
    }

    @Command(name = "schema", mixinStandardHelpOptions = true, description = "Tables, columns, types, hints and versions.")
    static class Schema extends Client {
        @Parameters(paramLabel = "PIPELINE")
        String pipeline;

        @Mixin
        OutputOption output;

        @Override
        int call(DatasetServiceGrpc.DatasetServiceBlockingStub datasets) {
            DatasetSchema schema = datasets.getSchema(GetSchemaRequest.newBuilder().setPipeline(pipeline).build());
            if (output.printedAsJson(schema)) {
                return 0;
            }
            System.out.printf(Locale.ROOT, "pipeline %s, dataset %s, schema version %d%n", schema.getPipeline(),
                    schema.getDataset(), schema.getVersion());
            for (TableDefinition table : schema.getTablesList()) {
                System.out.printf(Locale.ROOT, "%ntable %s%s%n", table.getName(),
                        table.getParent().isEmpty() ? "" : " (nested in " + table.getParent() + ")");
                for (ColumnDefinition column : table.getColumnsList()) {
                    System.out.printf(Locale.ROOT, "  %-40s %-10s %s%n", column.getName(), column.getDataType(), hints(column));
                }
            }
            System.out.println();
            System.out.println("versions:");
            for (SchemaVersion version : schema.getVersionsList()) {
                System.out.printf(Locale.ROOT, "  %4d  %s  load %s  %d tables%n", version.getVersion(),
                        Instant.ofEpochSecond(version.getTime().getSeconds()), version.getLoadId(), version.getTables());
            }
            return 0;
        }

        private static String hints(ColumnDefinition column) {
            List<String> hints = new ArrayList<>();
            if (column.getPrimaryKey()) {
                hints.add("primary key");
            }
            if (column.getMergeKey()) {
                hints.add("merge key");
            }
            if (column.getUnique()) {
                hints.add("unique");
            }
            if (!column.getNullable()) {
                hints.add("not null");
            }
            if (!column.getVariantOf().isEmpty()) {
                hints.add("variant of " + column.getVariantOf());
            }
            return String.join(", ", hints);
        }
    }

    @Command(name = "preview", mixinStandardHelpOptions = true, description = "The first rows of a table.")
    static class Preview extends Client {
        @Parameters(index = "0", paramLabel = "PIPELINE")
        String pipeline;

        @Parameters(index = "1", paramLabel = "TABLE")
        String table;

        @Option(names = {"-n", "--limit"}, defaultValue = "10", description = "Rows to show (default: ${DEFAULT-VALUE}).")
        int limit;

        @Mixin
        OutputOption output;

        @Override
        int call(DatasetServiceGrpc.DatasetServiceBlockingStub datasets) {
            PreviewTableResponse preview = datasets.previewTable(PreviewTableRequest.newBuilder()
                    .setPipeline(pipeline).setTable(table).setLimit(limit).build());
            if (output.printedAsJson(preview)) {
                return 0;
            }
            System.out.println(String.join("\t", preview.getColumnsList()));
            for (PreviewRow row : preview.getRowsList()) {
                System.out.println(row.getValuesList().stream().map(Preview::text).collect(Collectors.joining("\t")));
            }
            return 0;
        }

        private static String text(Value value) {
            return switch (value.getKindCase()) {
                case NULL_VALUE, KIND_NOT_SET -> "NULL";
                case NUMBER_VALUE -> value.getNumberValue() == Math.rint(value.getNumberValue())
                        ? String.valueOf((long) value.getNumberValue()) : String.valueOf(value.getNumberValue());
                case STRING_VALUE -> value.getStringValue();
                case BOOL_VALUE -> String.valueOf(value.getBoolValue());
                case STRUCT_VALUE, LIST_VALUE -> value.toString();
            };
        }
    }
}
