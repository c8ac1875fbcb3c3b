// Reads CloudTrail files or directories through identrail's Go package and
// prints each detection as it is found, the identities that are not normal,
// and the first step of each one's remediation plan.
//
//	PKG_CONFIG_PATH=PREFIX/lib/pkgconfig go run . PATH...
package main

import (
	"fmt"
	"os"

	"github.com/identrail/identrail/bindings/go/identrail"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: analyze PATH...")
		os.Exit(2)
	}
	if err := analyze(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func analyze(paths []string) error {
	engine, err := identrail.NewEngine()
	if err != nil {
		return err
	}
	defer engine.Close()
	// Live: each detection the moment its evidence is complete (revisions follow with the same id).
	if err := engine.OnDetection(func(d identrail.Detection) {
		if d.Revision == 0 {
			fmt.Printf("detected  %-8s %-13s %s\n", d.Severity, d.RuleID, d.Summary)
		}
	}); err != nil {
		return err
	}
	if err := engine.FeedPaths(paths...); err != nil {
		return err
	}
	if err := engine.Finish(); err != nil {
		return err
	}
	stats, err := engine.Stats()
	if err != nil {
		return err
	}
	fmt.Printf("identrail: %d records, %d accepted, %d rejected, %d identities, %d detections\n", stats.Total,
		stats.Accepted, stats.Rejected, stats.Identities, len(engine.Detections()))
	for _, e := range engine.Errors() {
		fmt.Printf("rejected  %s: %s: %s\n", e.Source, e.Location, e.Reason)
	}
	assessments, err := engine.Assessments()
	if err != nil {
		return err
	}
	for _, a := range assessments {
		if a.Status == identrail.Normal {
			continue
		}
		fmt.Printf("%s: %s, risk %s\n", a.Identity, a.Status, a.Risk)
		plan, err := engine.Remediation(a.Identity, nil)
		if err != nil || len(plan.Strategies) == 0 || len(plan.Strategies[0].Steps) == 0 {
			continue // an instance or service: nothing to revoke by name
		}
		fmt.Printf("  first step: %s\n", plan.Strategies[0].Steps[0].CLI)
	}
	return nil
}
