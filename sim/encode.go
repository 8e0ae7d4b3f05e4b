package sim

import (
	"encoding/binary"
	"fmt"
	"math"
)

func appendInt(b []byte, v int64) []byte { return binary.AppendVarint(b, v) }

func appendFloat(b []byte, v float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
}

func readInt(b []byte) (int64, []byte, error) {
	v, n := binary.Varint(b)
	if n <= 0 {
		return 0, nil, fmt.Errorf("sim: truncated state")
	}
	return v, b[n:], nil
}

func readFloat(b []byte) (float64, []byte, error) {
	if len(b) < 8 {
		return 0, nil, fmt.Errorf("sim: truncated state")
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b)), b[8:], nil
}
