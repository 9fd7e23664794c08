package io.sluice.cli;

import com.google.protobuf.Timestamp;
import io.grpc.Channel;
import io.sluice.pipeline.Durations;
import io.sluice.proto.v1.AuditEvent;
import io.sluice.proto.v1.AuthServiceGrpc;
import io.sluice.proto.v1.ListAuditEventsRequest;
import io.sluice.proto.v1.ListAuditEventsResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Who created, updated, deleted, triggered, cancelled or retried what, or managed API keys: newest first.")
class AuditCommand extends ServiceCommand<AuthServiceGrpc.AuthServiceBlockingStub> {
    @Option(names = {"-p", "--pipeline"}, defaultValue = "", description = "Only events about this pipeline.")
    String pipeline;

    @Option(names = "--actor", defaultValue = "", description = "Only events of this caller: key:<id>, jwt:<subject> or anonymous.")
    String actor;

    @Option(names = "--action", defaultValue = "", description = "Only events of this action, e.g. TriggerRun or DeletePipeline.")
    String action;

    @Option(names = "--since", converter = SinceConverter.class, paramLabel = "TIME",
            description = "Only events at or after this time: an instant (2026-01-31T12:00:00Z) or how long ago (90m, 7d).")
    Instant since;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    OutputOption output;

    @Override
    AuthServiceGrpc.AuthServiceBlockingStub stub(Channel channel) {
        return AuthServiceGrpc.newBlockingStub(channel);
    }

    @Override
    int call(AuthServiceGrpc.AuthServiceBlockingStub auth) {
        ListAuditEventsRequest.Builder request = ListAuditEventsRequest.newBuilder().setPipeline(pipeline).setActor(actor)
                .setAction(action).setPageSize(limit);
        if (since != null) {
            request.setSince(Timestamp.newBuilder().setSeconds(since.getEpochSecond()).setNanos(since.getNano()));
        }
        ListAuditEventsResponse page = auth.listAuditEvents(request.build());
        if (output.printedAsJson(page)) {
            return 0;
        }
        System.out.printf(Locale.ROOT, "%-24s  %-24s  %-22s  %-8s  %-20s  %-24s  %s%n", "TIME", "ACTOR", "ACTION", "OUTCOME",
                "STATUS", "TARGET", "FROM");
        for (AuditEvent event : page.getAuditEventsList()) {
            System.out.printf(Locale.ROOT, "%-24s  %-24s  %-22s  %-8s  %-20s  %-24s  %s%n",
                    Instant.ofEpochSecond(event.getTime().getSeconds(), event.getTime().getNanos()), event.getActor(),
                    event.getAction(), event.getOutcome(), event.getStatusCode(), target(event), event.getPeer());
        }
        return 0;
    }

    private static String target(AuditEvent event) {
        StringBuilder target = new StringBuilder(event.getPipeline());
        if (!event.getRunId().isEmpty()) {
            target.append(target.isEmpty() ? "" : " ").append("run ").append(event.getRunId());
        }
        if (!event.getApiKeyId().isEmpty()) {
            target.append("key ").append(event.getApiKeyId());
        }
        return target.toString();
    }

    /** Reads {@code --since} as an instant, or as a duration before now. */
    static class SinceConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String text) {
            try {
                return Instant.parse(text.strip());
            } catch (DateTimeParseException notAnInstant) {
                try {
                    return Instant.now().minus(Durations.parse(text));
                } catch (IllegalArgumentException notADuration) {
                    throw new CommandLine.TypeConversionException("'" + text
                            + "' is neither an instant (2026-01-31T12:00:00Z) nor how long ago (90m, 7d)");
                }
            }
        }
    }
}
