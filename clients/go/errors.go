package sluice

import (
	"errors"
	"fmt"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// FieldViolation is one problem of a request, e.g. "source.filesystem.resources[0].glob: expected text, got a list".
type FieldViolation struct {
	Field       string
	Description string
}

func (v FieldViolation) String() string {
	if v.Field == "" {
		return v.Description
	}
	return v.Field + ": " + v.Description
}

// Error is a call the service refused or could not answer: its gRPC code and message, and for INVALID_ARGUMENT
// (a bad spec) and UNIMPLEMENTED (a feature this server cannot run yet) the fields at fault.
type Error struct {
	Code            codes.Code
	Message         string
	FieldViolations []FieldViolation
}

func (e *Error) Error() string {
	var text strings.Builder
	fmt.Fprintf(&text, "%s: %s", e.Code, e.Message)
	for _, violation := range e.FieldViolations {
		text.WriteString("\n  " + violation.String())
	}
	return text.String()
}

// GRPCStatus lets status.Code and status.FromError read the code of an *Error.
func (e *Error) GRPCStatus() *status.Status {
	return status.New(e.Code, e.Message)
}

// CodeOf is the gRPC code of err: codes.OK for nil, codes.Unknown for an error that carries none.
func CodeOf(err error) codes.Code {
	var sluiceError *Error
	if errors.As(err, &sluiceError) {
		return sluiceError.Code
	}
	return status.Code(err)
}

// asError turns the error of a gRPC call into an *Error with the google.rpc.BadRequest field violations it carries.
func asError(err error) error {
	if err == nil {
		return nil
	}
	state, ok := status.FromError(err)
	if !ok {
		return err
	}
	converted := &Error{Code: state.Code(), Message: state.Message()}
	for _, detail := range state.Details() {
		if badRequest, ok := detail.(*errdetails.BadRequest); ok {
			for _, violation := range badRequest.GetFieldViolations() {
				converted.FieldViolations = append(converted.FieldViolations,
					FieldViolation{Field: violation.GetField(), Description: violation.GetDescription()})
			}
		}
	}
	return converted
}
