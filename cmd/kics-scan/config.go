package main

import (
	"errors"
	"fmt"
	"os"
	"path"
	"regexp"
	"strings"

	"sigs.k8s.io/yaml"
)

// config is the exclusions file.
type config struct {
	Exclusions []exclusion `json:"exclusions"`
}

// exclusion excuses the findings of one query, in the stacks and resources
// it lists, for a written reason.
type exclusion struct {
	// Query is the KICS query ID.
	Query string `json:"query"`

	// Name is the query's name, for people reading the file.
	Name string `json:"name"`

	// Reason explains why the finding is acceptable, or why KICS is wrong.
	Reason string `json:"reason"`

	// Stacks are globs over stack names; empty means every stack.
	Stacks []string `json:"stacks,omitempty"`

	// Resources are globs over "<type>.<name>" addresses; empty means every
	// finding of the query, with or without a resource.
	Resources []string `json:"resources,omitempty"`

	// Count, when set, is the exact number of findings the exclusion
	// covers. A new finding of the same query in the same resources, such
	// as a second secret in values already excused, then fails the scan
	// instead of hiding under the exclusion.
	Count int `json:"count,omitempty"`
}

var queryID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// minReasonLength keeps a reason from being a placeholder.
const minReasonLength = 20

// loadConfig reads and checks the exclusions file.
func loadConfig(file string) (config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return config{}, fmt.Errorf("reading the exclusions: %w", err)
	}
	var c config
	if err := yaml.UnmarshalStrict(data, &c); err != nil {
		return config{}, fmt.Errorf("parsing %s: %w", file, err)
	}
	return c, c.validate(file)
}

func (c config) validate(file string) error {
	var errs []error
	for i, e := range c.Exclusions {
		where := fmt.Sprintf("%s: exclusions[%d] (%s)", file, i, e.Name)
		if !queryID.MatchString(e.Query) {
			errs = append(errs, fmt.Errorf("%s: query %q is not a KICS query ID; copy the query_id from the KICS report", where, e.Query))
		}
		if strings.TrimSpace(e.Name) == "" {
			errs = append(errs, fmt.Errorf("%s: name is empty; copy the query_name from the KICS report", where))
		}
		if e.Count < 0 {
			errs = append(errs, fmt.Errorf("%s: count %d is negative; give the number of findings the exclusion covers, or leave it out", where, e.Count))
		}
		if len(strings.TrimSpace(e.Reason)) < minReasonLength {
			errs = append(errs, fmt.Errorf("%s: the reason %q is too short; say why the findings are acceptable", where, e.Reason))
		}
		for _, g := range append(append([]string{}, e.Stacks...), e.Resources...) {
			if _, err := path.Match(g, ""); err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a valid glob", where, g))
			}
		}
	}
	return errors.Join(errs...)
}

// result is the outcome of applying the exclusions.
type result struct {
	left     []finding
	excluded map[int]int // exclusion index to findings excused
	used     map[int]bool
	stale    []exclusion

	// miscounted are the exclusions whose Count differs from what they
	// covered, with what they covered.
	miscounted []miscount
}

// miscount is an exclusion that covered another number of findings than
// its Count.
type miscount struct {
	exclusion exclusion
	covered   int
}

func (r result) excludedCount() int {
	n := 0
	for _, c := range r.excluded {
		n += c
	}
	return n
}

// apply sorts findings into excluded and left, and finds the exclusions
// that excuse nothing.
func (c config) apply(findings []finding) result {
	r := result{excluded: map[int]int{}, used: map[int]bool{}}
	for _, f := range findings {
		matched := false
		for i, e := range c.Exclusions {
			if e.covers(f) {
				r.excluded[i]++
				r.used[i] = true
				matched = true
				break
			}
		}
		if !matched {
			r.left = append(r.left, f)
		}
	}
	for i, e := range c.Exclusions {
		if !r.used[i] {
			r.stale = append(r.stale, e)
		} else if e.Count > 0 && r.excluded[i] != e.Count {
			r.miscounted = append(r.miscounted, miscount{exclusion: e, covered: r.excluded[i]})
		}
	}
	return r
}

func (e exclusion) covers(f finding) bool {
	return e.Query == f.QueryID && matchesAny(e.Stacks, f.Stack) && matchesAny(e.Resources, f.Resource)
}

// matchesAny reports whether value matches one of globs; no globs match
// everything.
func matchesAny(globs []string, value string) bool {
	if len(globs) == 0 {
		return true
	}
	for _, g := range globs {
		if ok, _ := path.Match(g, value); ok {
			return true
		}
	}
	return false
}
