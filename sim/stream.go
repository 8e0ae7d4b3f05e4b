package sim

import "math"

// Random numbers come from counter-based streams: the uniform for a given
// (seed, run, key) is a pure function of those three, so a run's draws never
// depend on which worker ran it, in what order, or on which shard. Two
// scenarios that share a parameter key draw the same value for it in the
// same run (common random numbers).

// splitmix64 is the finaliser of Steele, Lea and Flood's SplitMix64
// ("Fast splittable pseudorandom number generators", OOPSLA 2014); it
// passes BigCrush as a counter-based generator.
func splitmix64(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

// KeyHash is the 64-bit FNV-1a hash of a stream key.
func KeyHash(key string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= 1099511628211
	}
	return h
}

// Stream returns the state of the stream for (seed, run, key hash).
func streamState(seed uint64, run int, keyHash uint64) uint64 {
	return splitmix64(splitmix64(seed^0x5DEECE66D) ^ splitmix64(keyHash) ^ uint64(run)*0xD1B54A32D192ED03)
}

// toUnit maps 64 random bits to the open interval (0, 1): the top 53 bits,
// offset by half a step so neither 0 nor 1 is possible.
func toUnit(x uint64) float64 {
	return (float64(x>>11) + 0.5) * (1.0 / (1 << 53))
}

// Uniform returns the uniform draw in (0, 1) for (seed, run, key hash).
func Uniform(seed uint64, run int, keyHash uint64) float64 {
	return toUnit(splitmix64(streamState(seed, run, keyHash)))
}

// UniformN returns the n-th uniform (n ≥ 0) of the stream (seed, run, key
// hash), for keys that need more than one draw.
func UniformN(seed uint64, run int, keyHash uint64, n int) float64 {
	return toUnit(splitmix64(streamState(seed, run, keyHash) + uint64(n+1)*0x9E3779B97F4A7C15))
}

// clampUnit keeps a design point strictly inside (0, 1).
func clampUnit(u float64) float64 {
	const eps = 1.0 / (1 << 53)
	return math.Min(math.Max(u, eps), 1-eps)
}
