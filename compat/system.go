package compat

import (
	"context"

	"github.com/gsupervisor/gsupervisor/compat/xmlrpc"
	"github.com/gsupervisor/gsupervisor/internal/faults"
)

func (s *service) listMethods(context.Context, args) (any, error) {
	return stringList(methodNames), nil
}

// lookupMethod finds the method a system.methodHelp or methodSignature
// call names; anything else, a name of another type included, is
// SIGNATURE_UNSUPPORTED.
func lookupMethod(a args) (*method, error) {
	if name, ok := a[0].(string); ok {
		if m, ok := table[name]; ok {
			return m, nil
		}
	}
	return nil, fault(faults.SignatureUnsupported, "")
}

func (s *service) methodHelp(_ context.Context, a args) (any, error) {
	m, err := lookupMethod(a)
	if err != nil {
		return nil, err
	}
	return m.help, nil
}

func (s *service) methodSignature(_ context.Context, a args) (any, error) {
	m, err := lookupMethod(a)
	if err != nil {
		return nil, err
	}
	return stringList(m.sig), nil
}

// multicall runs the calls one after the other, each to completion (a
// deferred call, such as startProcess with wait, finishes before the next
// starts), and returns per call its plain value or a {faultCode,
// faultString} struct, as 4.2.5 does.
func (s *service) multicall(ctx context.Context, a args) (any, error) {
	calls, ok := a[0].([]any)
	if !ok {
		return nil, incorrectParameters()
	}
	out := make([]any, 0, len(calls))
	for _, c := range calls {
		call, ok := c.(xmlrpc.Struct)
		if !ok {
			return nil, errInternal
		}
		out = append(out, s.multicallOne(ctx, call))
	}
	return out, nil
}

// multicallOne runs one entry of a multicall.
func (s *service) multicallOne(ctx context.Context, call xmlrpc.Struct) any {
	nameValue, ok := call.Get("methodName")
	if !ok {
		return fault(faults.IncorrectParameters, "No methodName")
	}
	name, ok := nameValue.(string)
	if !ok {
		// 4.2.5 looks the name up with string operations that fail on
		// other types.
		return fault(faults.Failed, "method name is not a string")
	}
	if name == "system.multicall" {
		return fault(faults.IncorrectParameters, "Recursive system.multicall forbidden")
	}
	var params []any
	if p, ok := call.Get("params"); ok {
		if params, ok = p.([]any); !ok {
			return incorrectParameters()
		}
	}
	v, err := s.dispatch(ctx, name, params)
	if err != nil {
		return faultOf(err)
	}
	return v
}
