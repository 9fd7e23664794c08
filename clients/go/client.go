// Package sluice is the Go client of Sluice's gRPC API: register pipelines from YAML files, trigger runs with a
// request id, follow a run's events until it ends, read the schema its loads made. The generated stubs are in
// package sluicev1 (go generate, or clients/test.sh, makes them from the repository's protos).
package sluice

//go:generate ./generate.sh

import (
	"context"
	"errors"
	"io"
	"os"

	"github.com/sluice-io/sluice/clients/go/sluicev1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// Client talks to one Sluice service. Its stubs (Pipelines, Runs, Datasets) are there for the calls the helpers do
// not wrap. Every helper returns the service's refusals as an *Error.
type Client struct {
	Pipelines sluicev1.PipelineServiceClient
	Runs      sluicev1.RunServiceClient
	Datasets  sluicev1.DatasetServiceClient
	conn      *grpc.ClientConn
}

// Dial connects to target ("host:port"; empty means $SLUICE_SERVER or localhost:9000). Without options it dials
// without TLS; pass grpc.WithTransportCredentials and others to change that.
func Dial(target string, options ...grpc.DialOption) (*Client, error) {
	if target == "" {
		target = os.Getenv("SLUICE_SERVER")
	}
	if target == "" {
		target = "localhost:9000"
	}
	if len(options) == 0 {
		options = []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	}
	conn, err := grpc.NewClient(target, options...)
	if err != nil {
		return nil, err
	}
	client := New(conn)
	client.conn = conn
	return client, nil
}

// New wraps a connection the caller owns (and closes).
func New(conn grpc.ClientConnInterface) *Client {
	return &Client{
		Pipelines: sluicev1.NewPipelineServiceClient(conn),
		Runs:      sluicev1.NewRunServiceClient(conn),
		Datasets:  sluicev1.NewDatasetServiceClient(conn),
	}
}

// Close closes the connection Dial opened.
func (c *Client) Close() error {
	if c.conn == nil {
		return nil
	}
	return c.conn.Close()
}

// RegisterFromYAML creates the pipeline a YAML or JSON file describes, or replaces the spec of the one with its
// name, and returns it as stored.
func (c *Client) RegisterFromYAML(ctx context.Context, path string) (*sluicev1.Pipeline, error) {
	pipeline, err := ReadPipeline(path)
	if err != nil {
		return nil, err
	}
	return c.Register(ctx, pipeline)
}

// Register creates the pipeline, or replaces the spec of the one with its name.
func (c *Client) Register(ctx context.Context, pipeline *sluicev1.Pipeline) (*sluicev1.Pipeline, error) {
	stored, err := c.Pipelines.UpdatePipeline(ctx, &sluicev1.UpdatePipelineRequest{Pipeline: pipeline, AllowMissing: true})
	return stored, asError(err)
}

// Trigger starts a run of the pipeline and returns it at once (PENDING). A requestID makes it idempotent:
// triggering again with the same id returns the first run instead of starting another.
func (c *Client) Trigger(ctx context.Context, pipeline, requestID string) (*sluicev1.Run, error) {
	run, err := c.Runs.TriggerRun(ctx, &sluicev1.TriggerRunRequest{Pipeline: pipeline, RequestId: requestID})
	return run, asError(err)
}

// Run is the run as it is now.
func (c *Client) Run(ctx context.Context, runID string) (*sluicev1.Run, error) {
	run, err := c.Runs.GetRun(ctx, &sluicev1.GetRunRequest{RunId: runID})
	return run, asError(err)
}

// Follow hands each of the run's events to onEvent — a snapshot first, then state changes, progress, log lines,
// schema changes and the summary — until the run ends, and returns the ended run. An error from onEvent stops
// following and is returned; ctx bounds the whole watch.
func (c *Client) Follow(ctx context.Context, runID string, onEvent func(*sluicev1.RunEvent) error) (*sluicev1.Run, error) {
	watchContext, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.Runs.WatchRun(watchContext, &sluicev1.WatchRunRequest{RunId: runID})
	if err != nil {
		return nil, asError(err)
	}
	for {
		event, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return c.Run(ctx, runID)
		}
		if err != nil {
			return nil, asError(err)
		}
		if onEvent != nil {
			if err := onEvent(event); err != nil {
				return nil, err
			}
		}
	}
}

// Schema is what the pipeline's loads made: tables, columns and types, and the version history.
func (c *Client) Schema(ctx context.Context, pipeline string) (*sluicev1.DatasetSchema, error) {
	schema, err := c.Datasets.GetSchema(ctx, &sluicev1.GetSchemaRequest{Pipeline: pipeline})
	return schema, asError(err)
}

// IsTerminal says whether a run in this state has ended (and will not change again).
func IsTerminal(state sluicev1.RunState) bool {
	switch state {
	case sluicev1.RunState_COMPLETED, sluicev1.RunState_FAILED, sluicev1.RunState_CANCELLED, sluicev1.RunState_CRASHED:
		return true
	default:
		return false
	}
}
