package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/chokepoint-sim/chokepoint/scenarios"
	"github.com/chokepoint-sim/chokepoint/sim"
)

// version is the tool's version, stamped into every manifest.
const version = "0.1.0"

// Exit statuses.
const (
	exitOK        = 0
	exitFailure   = 1   // the program failed at run time
	exitUsage     = 2   // the user's input is wrong: nothing was written
	exitInterrupt = 130 // stopped by Ctrl-C
)

// usageError marks a mistake in the user's input (flag, argument, file).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// run is the whole CLI, callable in-process by tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	// Cobra reports an unknown verb as a plain error over several lines.
	if msg := err.Error(); strings.HasPrefix(msg, "unknown command ") && len(args) > 0 {
		m := fmt.Sprintf("unknown command %q", args[0])
		if s := root.SuggestionsFor(args[0]); len(s) > 0 {
			m += fmt.Sprintf(" (did you mean %q?)", s[0])
		}
		err = usagef("%s; see 'chokepoint --help'", m)
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "chokepoint: interrupted; nothing was written")
		return exitInterrupt
	}
	fmt.Fprintln(stderr, "chokepoint: "+strings.TrimSpace(err.Error()))
	var ue *usageError
	var se *scenarios.Error
	var ie *sim.InputError
	switch {
	case errors.Is(err, context.Canceled):
		return exitInterrupt
	case errors.As(err, &ue), errors.As(err, &se), errors.As(err, &ie):
		return exitUsage
	}
	return exitFailure
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "chokepoint",
		Short: "Simulate China's AI capacity under export-control scenarios",
		Long: `chokepoint simulates China's AI compute (chip imports, smuggling, domestic
chips, fab yield, algorithmic efficiency) under US and allied export-control
scenarios, runs Monte Carlo batches and writes tables, charts and reports.

Start with:  chokepoint run                               (the current-policy scenario)
             chokepoint compare no-controls current-policy (what the controls changed)
             chokepoint scenarios                         (the built-in library)
             chokepoint params                            (every assumption, with its source)
             chokepoint serve                             (the classroom page)`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(newRunCmd(), newCompareCmd(), newSensitivityCmd(), newLeversCmd(), newMergeCmd(), newBacktestCmd(), newScenariosCmd(), newParamsCmd(), newOutputsCmd(), newValidateCmd(), newServeCmd(), newChartCmd(), newReportCmd(), newElicitCmd(), newDiscoverCmd(), newCalibrateCmd())
	root.AddCommand(newPublishCmd())
	for _, c := range root.Commands() {
		if c.Args == nil {
			c.Args = cobra.NoArgs
		}
		wrapArgs(c)
	}
	root.CompletionOptions.DisableDefaultCmd = true
	return root
}

// flagError turns pflag's errors into usage errors that say what was
// expected rather than how parsing failed.
func flagError(c *cobra.Command, err error) error {
	var invalid *pflag.InvalidValueError
	var missing *pflag.ValueRequiredError
	switch {
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		return usagef("--%s: expected %s, found %q", f.Name, expectedValue(f), invalid.GetValue())
	case errors.As(err, &missing):
		f := missing.GetFlag()
		return usagef("--%s: expected %s, found nothing", f.Name, expectedValue(f))
	}
	// Unknown flags and bad flag syntax: pflag's message names the flag.
	return usagef("%s: %v (see '%s --help')", c.CommandPath(), err, c.CommandPath())
}

// expectedValue says in words what a flag of f's type takes.
func expectedValue(f *pflag.Flag) string {
	switch f.Value.Type() {
	case "int":
		return "a whole number"
	case "uint64":
		return "a whole number, 0 or more"
	case "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "duration":
		return "a duration such as 30s or 2m"
	}
	return "a value"
}

// maxProbe is the most arguments wrapArgs tries a command's argument check
// with to learn how many it takes.
const maxProbe = 8

// wrapArgs turns cobra's argument errors into usage errors saying how many
// arguments the command takes. Cobra's checks are functions and their
// errors plain text, so the count is learnt by trying the check with 0 to
// maxProbe arguments (cobra's checks count arguments, they do not read
// them).
func wrapArgs(c *cobra.Command) {
	check := c.Args
	c.Args = func(cmd *cobra.Command, args []string) error {
		err := check(cmd, args)
		if err == nil {
			return nil
		}
		msg := err.Error()
		switch want := arity(cmd, check); want {
		case "":
		case "no":
			msg = fmt.Sprintf("expected no arguments, found %d", len(args))
		default:
			msg = fmt.Sprintf("expected %s argument(s), found %d", want, len(args))
		}
		return usagef("%s: %s (usage: %s)", cmd.CommandPath(), msg, cmd.UseLine())
	}
}

// arity describes the argument counts check accepts: "no", "exactly 1",
// "at least 2", "1 to 3"; or "" when they are no such range.
func arity(cmd *cobra.Command, check cobra.PositionalArgs) string {
	lo, hi := -1, -1
	for n := 0; n <= maxProbe; n++ {
		if check(cmd, make([]string, n)) != nil {
			continue
		}
		if lo < 0 {
			lo = n
		} else if hi != n-1 {
			return "" // a gap: not a range
		}
		hi = n
	}
	switch {
	case lo < 0:
		return ""
	case hi == maxProbe:
		return fmt.Sprintf("at least %d", lo)
	case lo == 0 && hi == 0:
		return "no"
	case lo == hi:
		return fmt.Sprintf("exactly %d", lo)
	case lo == 0:
		return fmt.Sprintf("at most %d", hi)
	}
	return fmt.Sprintf("%d to %d", lo, hi)
}
