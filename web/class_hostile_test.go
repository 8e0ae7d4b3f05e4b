package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileCase is one bad request and the status it must get.
type hostileCase struct {
	name, method, path, token, body string
	status                          int
}

// hostileCases covers every class endpoint: wrong code, wrong or missing
// token, another role's token, oversized and malformed bodies, bad
// values, wrong methods.
func hostileCases(tc *testClass, blue, red string) []hostileCase {
	code, teacher := tc.class.JoinCode(), tc.class.TeacherToken()
	join := func(team string) string { return fmt.Sprintf(`{"code": %q, "team": %q}`, code, team) }
	big := `{"code": "` + strings.Repeat("A", 2000) + `", "team": "x"}`
	huge := pageBody(`"entity.cxmt_listed": true, "x": "` + strings.Repeat("y", 70<<10) + `"`)
	return []hostileCase{
		{"wrong code", "POST", "/api/class/join", "", `{"code": "AAAA-AAAA", "team": "Mallory"}`, 403},
		{"no code", "POST", "/api/class/join", "", `{"team": "Mallory"}`, 403},
		{"taken name", "POST", "/api/class/join", "", join("blue"), 409},
		{"empty name", "POST", "/api/class/join", "", join("  "), 400},
		{"long name", "POST", "/api/class/join", "", join(strings.Repeat("n", 41)), 400},
		{"control in name", "POST", "/api/class/join", "", join("a\u0007b"), 400},
		{"oversized join", "POST", "/api/class/join", "", big, 413},
		{"unknown join field", "POST", "/api/class/join", "", fmt.Sprintf(`{"code": %q, "team": "x", "admin": true}`, code), 400},
		{"join as text", "POST", "/api/class/join", "", "", 415},
		{"join by GET", "GET", "/api/class/join", "", "", 405},
		{"team no token", "GET", "/api/class/team", "", "", 401},
		{"team wrong secret", "GET", "/api/class/team", strings.Split(blue, ".")[0] + ".WRONG", "", 403},
		{"team unknown id", "POST", "/api/class/team", "nosuch.team", pageBody(""), 403},
		{"team teacher token", "GET", "/api/class/team", teacher, "", 403},
		{"team oversized", "POST", "/api/class/team", red, huge, 413},
		{"team bad settings", "POST", "/api/class/team", red, pageBody(`"enforcement.leakage": 7`), 400},
		{"team runs over the cap", "POST", "/api/class/team", red, strings.Replace(pageBody(""), `"runs": 100`, `"runs": 5000`, 1), 400},
		{"team not JSON", "POST", "/api/class/team", red, "{", 400},
		{"team DELETE", "DELETE", "/api/class/team", red, "", 405},
		{"teacher no token", "GET", "/api/class/teacher", "", "", 401},
		{"teacher wrong token", "GET", "/api/class/teacher", teacher + "x", "", 403},
		{"teacher with a team token", "GET", "/api/class/teacher", blue, "", 403},
		{"teacher since not a number", "GET", "/api/class/teacher?since=-1", teacher, "", 400},
		{"push wrong token", "POST", "/api/class/push", "x", `{"scenario": "no-controls"}`, 403},
		{"push unknown exercise", "POST", "/api/class/push", teacher, `{"exercise": "nosuch"}`, 400},
		{"push unknown scenario", "POST", "/api/class/push", teacher, `{"scenario": "../../etc/passwd"}`, 400},
		{"push both", "POST", "/api/class/push", teacher, `{"scenario": "no-controls", "exercise": "hold-the-lead"}`, 400},
		{"push oversized", "POST", "/api/class/push", teacher, `{"scenario": "` + strings.Repeat("s", 2000) + `"}`, 413},
		{"lock wrong token", "POST", "/api/class/lock", blue, `{"locked": true}`, 403},
		{"lock without value", "POST", "/api/class/lock", teacher, `{}`, 400},
		{"lock not a bool", "POST", "/api/class/lock", teacher, `{"locked": "yes"}`, 400},
		{"remove wrong token", "POST", "/api/class/remove", red, `{"team": "x"}`, 403},
		{"remove unknown team", "POST", "/api/class/remove", teacher, `{"team": "nosuch"}`, 404},
		{"export wrong token", "GET", "/api/class/export.csv", blue, "", 403},
		{"export no token", "GET", "/api/class/export.csv", "", "", 401},
		{"unknown endpoint", "GET", "/api/class/admin", teacher, "", 404},
		{"info by POST", "POST", "/api/class", "", `{}`, 405},
	}
}

// Acceptance 3: hostile requests to every class endpoint get 4xx JSON and
// leave the class as it was; floods are refused and slow only their
// sender.
func TestClassHostile(t *testing.T) {
	tc := newTestClass(t, "")
	blue, red := tc.join("Blue"), tc.join("Red")
	st, body := tc.call("POST", "/api/class/team", blue, pageBody(`"entity.cxmt_listed": true`))
	require.Equal(t, http.StatusOK, st, body)
	before := tc.teacher()
	teacher := tc.class.TeacherToken()

	for _, k := range hostileCases(tc, blue, red) {
		t.Run(k.name, func(t *testing.T) {
			st, body := tc.call(k.method, k.path, k.token, k.body)
			assert.Equal(t, k.status, st, body)
			var e apiError
			assert.NoError(t, json.Unmarshal([]byte(body), &e), "a JSON error: %s", body)
			assert.NotEmpty(t, e.Error)
			assert.NotContains(t, body, teacher, "no answer repeats the teacher's token")
		})
	}

	t.Run("wrong codes are limited, then refused before they are checked", func(t *testing.T) {
		tc.wait(time.Minute) // the cases above spent some of the allowance
		limited := 0
		for i := range 40 {
			st, _ := tc.call("POST", "/api/class/join", "", fmt.Sprintf(`{"code": "GUESS%03d", "team": "m%d"}`, i, i))
			if st == http.StatusTooManyRequests {
				limited++
			} else {
				assert.Equal(t, http.StatusForbidden, st)
			}
		}
		// 10 at once from one address (Class.failures), the rest refused.
		assert.Equal(t, 30, limited)
		// Even the right code waits: otherwise a guess that is not refused
		// would tell the right code from the wrong ones.
		st, _ := tc.call("POST", "/api/class/join", "", fmt.Sprintf(`{"code": %q, "team": "Late"}`, tc.class.JoinCode()))
		assert.Equal(t, http.StatusTooManyRequests, st)
		// Teams that joined are not held up.
		st, body := tc.call("GET", "/api/class/team", red, "")
		assert.Equal(t, http.StatusOK, st, body)
		tc.wait(6 * time.Second)
		tc.join("Late")
	})

	t.Run("a flooding team slows only itself", func(t *testing.T) {
		limited := 0
		for range 40 {
			st, _ := tc.call("GET", "/api/class/team", blue, "")
			if st == http.StatusTooManyRequests {
				limited++
			}
		}
		// A burst of 12 (teamPollBurst) passes, the rest wait.
		assert.Equal(t, 40-12, limited)
		st, body := tc.call("GET", "/api/class/team", red, "")
		assert.Equal(t, http.StatusOK, st, body)
		st, body = tc.call("POST", "/api/class/team", red, pageBody(`"enforcement.leakage": 0.6`))
		assert.Equal(t, http.StatusOK, st, body)
	})

	t.Run("the 61st team is refused", func(t *testing.T) {
		for i := tc.class.Teams(); i < MaxTeams; i++ {
			tc.join(fmt.Sprintf("Team %d", i))
		}
		st, body := tc.call("POST", "/api/class/join", "", fmt.Sprintf(`{"code": %q, "team": "Sixty-one"}`, tc.class.JoinCode()))
		assert.Equal(t, http.StatusConflict, st)
		assert.Contains(t, body, "at most 60 teams")
		assert.Equal(t, MaxTeams, tc.class.Teams())
	})

	// The class is intact: Blue's settings and outcomes as they were, the
	// push and lock untouched.
	after := tc.teacher()
	assert.Equal(t, before.Teams[0], after.Teams[0])
	assert.Equal(t, before.Push, after.Push)
	assert.False(t, after.Locked)
	assert.Equal(t, "Red", after.Teams[1].Name)
}

// Student answers never carry the teacher's token, and the page's files
// do not either.
func TestClassTokenStaysWithTeacher(t *testing.T) {
	tc := newTestClass(t, "")
	st, body := tc.call("POST", "/api/class/join", "", fmt.Sprintf(`{"code": %q, "team": "Blue"}`, strings.ToLower(tc.class.JoinCode())))
	require.Equal(t, http.StatusCreated, st, "codes are read in any case: %s", body)
	var n classNews
	require.NoError(t, json.Unmarshal([]byte(body), &n))
	bodies := []string{body}
	for _, p := range []string{"/api/class", "/", "/class.js", "/app.js", "/teacher.html"} {
		_, b := tc.call("GET", p, "", "")
		bodies = append(bodies, b)
	}
	_, b := tc.call("GET", "/api/class/team", n.Token, "")
	bodies = append(bodies, b)
	_, b = tc.call("POST", "/api/class/team", n.Token, pageBody(""))
	bodies = append(bodies, b)
	for _, b := range bodies {
		assert.NotContains(t, b, tc.class.TeacherToken())
		assert.NotContains(t, b, tc.class.st.Code, "nor the join code")
	}
}
