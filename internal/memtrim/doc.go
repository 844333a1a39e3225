// Package memtrim gives memory back to the system once the daemon has
// been quiet for a while after a burst of work.
//
// An idle Go program keeps the heap it grew under load until the next
// garbage collection, which an idle daemon reaches only through the
// runtime's two-minute forced cycle, and the scavenger returns only what
// lies beyond the heap goal of that last cycle. The daemon's one Trimmer
// (Shared) is touched by every API call (the server) and every process
// state change (the engine); once none has come for its quiet period it
// runs its
// trim function (the daemon's is Release: two collections, a full
// scavenge, and the executable's pages the burst mapped unmapped again),
// once per burst. Nothing runs while the daemon stays
// idle: a Trimmer owns no goroutine and no ticker.
package memtrim
