// Package events is the daemon's typed event system: Supervisor 4.2.5's
// event types and payloads, a bus that assigns every event a daemon-wide
// serial and fans it out without ever blocking the publisher, a bounded
// history for subscribers that resume from a serial, and the legacy
// [eventlistener:x] pools that speak Supervisor's listener protocol.
package events
