//go:build !race

package surface

// poisonReturned: see race.go.
const poisonReturned = false
