// Command load-and-watch registers a pipeline from a YAML file, triggers it once per request id, prints its events,
// then its tables:
//
//	go run ./examples/load-and-watch -server localhost:9000 -request-id nightly-1 deploy/pipelines/demo-events.yaml
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	sluice "github.com/sluice-io/sluice/clients/go"
	"github.com/sluice-io/sluice/clients/go/sluicev1"
)

func main() {
	server := flag.String("server", "", "host:port of the gRPC API (default $SLUICE_SERVER or localhost:9000)")
	requestID := flag.String("request-id", "", "triggering again with the same id starts no second run")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: load-and-watch [-server HOST:PORT] [-request-id ID] PIPELINE.yaml")
		os.Exit(2)
	}
	if err := run(*server, *requestID, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(server, requestID, file string) error {
	client, err := sluice.Dial(server)
	if err != nil {
		return err
	}
	defer client.Close()
	ctx := context.Background()
	pipeline, err := client.RegisterFromYAML(ctx, file)
	if err != nil {
		return err
	}
	started, err := client.Trigger(ctx, pipeline.GetName(), requestID)
	if err != nil {
		return err
	}
	fmt.Printf("run %s of %s\n", started.GetId(), pipeline.GetName())
	final, err := client.Follow(ctx, started.GetId(), func(event *sluicev1.RunEvent) error {
		switch kind := event.GetKind().(type) {
		case *sluicev1.RunEvent_StateChange:
			fmt.Printf("%-10s %s\n", kind.StateChange.GetTo(), kind.StateChange.GetReason())
		case *sluicev1.RunEvent_Progress:
			fmt.Printf("  %-20s %10d rows %12.0f rows/s\n", kind.Progress.GetTable(), kind.Progress.GetRows(),
				kind.Progress.GetRowsPerSecond())
		case *sluicev1.RunEvent_Log:
			fmt.Printf("  %s\n", kind.Log.GetMessage())
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, table := range final.GetSummary().GetTables() {
		fmt.Printf("%s: %d rows\n", table.GetTable(), table.GetRows())
	}
	schema, err := client.Schema(ctx, pipeline.GetName())
	if err != nil {
		return err
	}
	for _, table := range schema.GetTables() {
		var columns []string
		for _, column := range table.GetColumns() {
			columns = append(columns, column.GetName())
		}
		fmt.Printf("%s(%s)\n", table.GetName(), strings.Join(columns, ", "))
	}
	if final.GetState() != sluicev1.RunState_COMPLETED {
		return fmt.Errorf("run %s ended %s: %s", final.GetId(), final.GetState(), final.GetError())
	}
	return nil
}
