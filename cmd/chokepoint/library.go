package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/chokepoint-sim/chokepoint/scenarios"
)

func newScenariosCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "scenarios [show NAME | explain NAME]",
		Short: "List the built-in scenarios, print one, or explain what one changes",
		Long: `List the built-in scenarios with their titles.

  chokepoint scenarios show NAME      print the scenario's file
  chokepoint scenarios explain NAME   say in plain words what it changes relative
                                      to the scenario it extends (or to the
                                      model's defaults), in date order

NAME is a built-in name or the path of a .toml file.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			loader := &scenarios.Loader{Registry: registry()}
			w := cmd.OutOrStdout()
			switch {
			case len(args) == 0:
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				for _, n := range scenarios.Names() {
					sc, err := loader.Load(n)
					if err != nil {
						return err
					}
					fmt.Fprintf(tw, "%s\t%s\n", n, sc.Title)
				}
				return tw.Flush()
			case args[0] == "show" && len(args) == 2:
				src, err := loader.Source(args[1])
				if err != nil {
					return err
				}
				_, err = w.Write(src)
				return err
			case args[0] == "explain" && len(args) == 2:
				text, err := loader.Explain(args[1])
				if err != nil {
					return err
				}
				_, err = fmt.Fprint(w, wrapLines(text))
				return err
			}
			return usagef("scenarios: expected no argument or 'show NAME' or 'explain NAME', found %q", strings.Join(args, " "))
		},
	}
	return c
}

func newValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario files; exit 2 with located errors",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			loader := &scenarios.Loader{Registry: registry()}
			var first error
			for _, a := range args {
				if _, err := loader.Load(a); err != nil {
					if first != nil {
						fmt.Fprintln(cmd.ErrOrStderr(), "chokepoint: "+err.Error())
					} else {
						first = err
					}
					continue
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: ok\n", a)
			}
			return first
		},
	}
}
