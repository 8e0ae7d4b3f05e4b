//go:build !wasm

package models

// wasmMinMax selects fmin and fmax's written-out branches.
const wasmMinMax = false
