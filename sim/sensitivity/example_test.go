package sensitivity_test

import (
	"fmt"
	"math"

	"github.com/chokepoint-sim/chokepoint/sim/sensitivity"
)

// Screen a linear model with Morris elementary effects. Each effect is in
// output units per unit of the uniform input, so for y = 3u₀ + 2u₁ they
// are the coefficients themselves.
func ExampleNewMorrisDesign() {
	d := sensitivity.NewMorrisDesign(10, 3, 4, 1)
	y := make([]float64, len(d.Points))
	for j, u := range d.Points {
		y[j] = 3*u[0] + 2*u[1] + 0*u[2]
	}
	muStar, _, sigma := d.Indices(y)
	for i := range muStar {
		fmt.Printf("u%d: mu* %.2f sigma %.2f\n", i, muStar[i], sigma[i])
	}
	// Output:
	// u0: mu* 3.00 sigma 0.00
	// u1: mu* 2.00 sigma 0.00
	// u2: mu* 0.00 sigma 0.00
}

// Sobol' indices of the Ishigami function (Ishigami & Homma 1990), whose
// analytic values are S1 = (0.314, 0.442, 0) and ST = (0.558, 0.442, 0.244);
// the estimate of S1 for x1 is 0.313 here.
func ExampleSobolIndices() {
	const n, k = 1 << 14, 3
	d := sensitivity.NewSaltelliDesign(n, k, 1)
	pts := d.Points()
	y := make([]float64, len(pts))
	for j, u := range pts {
		x1 := -math.Pi + 2*math.Pi*u[0] // each input uniform on [−π, π]
		x2 := -math.Pi + 2*math.Pi*u[1]
		x3 := -math.Pi + 2*math.Pi*u[2]
		y[j] = math.Sin(x1) + 7*math.Pow(math.Sin(x2), 2) + 0.1*math.Pow(x3, 4)*math.Sin(x1)
	}
	res := sensitivity.SobolIndices(y, n, k, 0, 1)
	for i := 0; i < k; i++ {
		// Abs: an estimate of a zero index may be a hair below zero.
		fmt.Printf("x%d: S1 %.2f ST %.2f\n", i+1, math.Abs(res.S1[i]), res.ST[i])
	}
	// Output:
	// x1: S1 0.31 ST 0.56
	// x2: S1 0.44 ST 0.44
	// x3: S1 0.00 ST 0.24
}
