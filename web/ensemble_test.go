package web

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chokepoint-sim/chokepoint/models"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// A server given a posterior ensemble runs on its rows: with one row (every
// parameter at its median) the answer differs from the prior's, and two
// such servers answer alike.
func TestServerUsesEnsemble(t *testing.T) {
	reg := models.China{}.Registry()
	row := make([]float64, len(reg.Params))
	for i := range reg.Params {
		row[i] = reg.Params[i].Dist().Quantile(0.5)
	}
	ens, err := sim.NewEnsemble(len(row), row)
	require.NoError(t, err)
	body := `{"scenario": "current-policy", "runs": 40, "seed": 3}`
	answer := func(s *Server) string {
		st, b := post(t, newTestServer(t, s).URL, body)
		require.Equal(t, http.StatusOK, st, string(b))
		return string(b)
	}
	prior := answer(nil)
	withRow := answer(&Server{Model: models.China{}, Ensemble: ens})
	assert.NotEqual(t, prior, withRow)
	assert.Equal(t, withRow, answer(&Server{Model: models.China{}, Ensemble: ens}))
}
