// Package poller waits for many descriptors at once with one epoll set and
// one goroutine, and runs a callback in a new goroutine when one becomes
// readable. The daemon uses it for what idle programs wait on (their
// output pipes and their pidfds), so a thousand idle programs cost a
// thousand small structs rather than three thousand parked goroutines
// and their stacks.
//
// Registrations are one-shot: after its callback runs, a descriptor is not
// reported again until the callback re-arms it, so callbacks for one
// descriptor never overlap. Readiness is level-triggered, so nothing that
// arrived before a re-arm is missed.
package poller
