//go:build race

package surface

// poisonReturned makes PutWireBuffer overwrite what it takes back, so
// that a caller still reading a buffer it gave back reads garbage and
// fails its tests (which run with the race detector) instead of reading
// the right bytes by luck.
const poisonReturned = true
