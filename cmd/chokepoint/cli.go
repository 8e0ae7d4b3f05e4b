package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

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
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		// pflag says `invalid argument "x" for "--runs" flag: strconv...`;
		// say what was expected instead of how parsing failed.
		if m := invalidFlag.FindStringSubmatch(err.Error()); m != nil {
			name := strings.TrimLeft(m[2], "-")
			if i := strings.Index(name, ", --"); i >= 0 {
				name = name[i+4:]
			}
			want := "a valid value"
			if f := c.Flags().Lookup(name); f != nil {
				switch f.Value.Type() {
				case "int":
					want = "a whole number"
				case "uint64":
					want = "a whole number, 0 or more"
				case "float64":
					want = "a number"
				}
			}
			return usagef("--%s: expected %s, found %q", name, want, m[1])
		}
		return usagef("%s: %v (see '%s --help')", c.CommandPath(), err, c.CommandPath())
	})
	root.AddCommand(newRunCmd(), newCompareCmd(), newSensitivityCmd(), newMergeCmd(), newBacktestCmd(), newScenariosCmd(), newParamsCmd(), newValidateCmd(), newServeCmd(), newChartCmd(), newReportCmd())
	for _, c := range root.Commands() {
		if c.Args == nil {
			c.Args = cobra.NoArgs
		}
		wrapArgs(c)
	}
	root.CompletionOptions.DisableDefaultCmd = true
	return root
}

var (
	invalidFlag = regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag`)
	argCount    = regexp.MustCompile(`(?:requires|accepts) (at least|at most|exactly|between)? ?(\d+(?: and \d+)?) arg\(s\), (?:only )?received (\d+)`)
)

// wrapArgs turns cobra's argument errors into usage errors.
func wrapArgs(c *cobra.Command) {
	check := c.Args
	c.Args = func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			msg := err.Error()
			if m := argCount.FindStringSubmatch(msg); m != nil {
				msg = fmt.Sprintf("expected %s %s argument(s), found %s", m[1], m[2], m[3])
			}
			return usagef("%s: %s (usage: %s)", cmd.CommandPath(), msg, cmd.UseLine())
		}
		return nil
	}
}
