package intrinsic

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// evalMathRandom returns a random integer in [start, end), with start and
// end rounded (States.MathRandom). A seed makes the result repeatable;
// without one Env.Rand, or math/rand/v2, supplies the randomness.
func evalMathRandom(c *Call, args []any, env *Env) (any, error) {
	start, err := toInt(c.Name, 1, args[0], true)
	if err != nil {
		return nil, err
	}
	end, err := toInt(c.Name, 2, args[1], true)
	if err != nil {
		return nil, err
	}
	if end <= start {
		return nil, failf(c.Name, fmt.Sprintf("end (%d) must be greater than start (%d)", end, start))
	}
	var f float64
	switch {
	case len(args) == 3:
		seed, err := toInt(c.Name, 3, args[2], true)
		if err != nil {
			return nil, err
		}
		f = rand.New(rand.NewPCG(uint64(seed), 0)).Float64()
	case env.Rand != nil:
		f = env.Rand()
	default:
		f = rand.Float64()
	}
	span := uint64(end) - uint64(start) // exact even when end-start overflows int64
	off := uint64(f * float64(span))
	if off >= span || f < 0 || math.IsNaN(f) {
		off = span - 1 // keep a misbehaving Env.Rand inside the range
	}
	return intNumber(int64(uint64(start) + off)), nil
}

// evalMathAdd returns the sum of two integers in the 32-bit range, after
// rounding (States.MathAdd).
func evalMathAdd(c *Call, args []any, _ *Env) (any, error) {
	var sum int64
	for i := range 2 {
		n, err := toInt(c.Name, i+1, args[i], true)
		if err != nil {
			return nil, err
		}
		if n < math.MinInt32 || n > math.MaxInt32 {
			return nil, failf(c.Name, fmt.Sprintf("argument %d (%d) is outside the range %d to %d", i+1, n, math.MinInt32, math.MaxInt32))
		}
		sum += n
	}
	return intNumber(sum), nil
}
