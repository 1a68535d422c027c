package stacks

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/honeyhive/platform/environments"
)

// Selection narrows which stacks are built. An empty list selects every
// value; the three lists combine with AND.
type Selection struct {
	// Environments are environment names, for example "prod".
	Environments []string

	// Regions are region names ("us-west-2") or codes ("usw2").
	Regions []string

	// Layers are layer names, for example "substrate".
	Layers []string
}

// ParseSelection reads comma-separated lists, ignoring blanks and spaces.
func ParseSelection(envs, regions, layers string) Selection {
	return Selection{
		Environments: splitList(envs),
		Regions:      splitList(regions),
		Layers:       splitList(layers),
	}
}

// IsAll reports whether the selection selects every stack.
func (s Selection) IsAll() bool {
	return len(s.Environments) == 0 && len(s.Regions) == 0 && len(s.Layers) == 0
}

// String describes the selection for people, for example
// "environments=prod regions=all layers=substrate".
func (s Selection) String() string {
	show := func(values []string) string {
		if len(values) == 0 {
			return "all"
		}
		return strings.Join(values, ",")
	}
	return fmt.Sprintf("environments=%s regions=%s layers=%s", show(s.Environments), show(s.Regions), show(s.Layers))
}

// Validate checks every selected value against what exists, and lists the
// valid values in the error.
func (s Selection) Validate(envs []environments.Environment) error {
	var errs []error

	var envNames []string
	regionSet := map[string]bool{}
	for _, e := range envs {
		envNames = append(envNames, e.Name)
		for _, r := range e.Regions {
			regionSet[r.Name] = true
		}
	}
	var regionNames []string
	for name := range regionSet {
		regionNames = append(regionNames, name)
	}
	slices.Sort(regionNames)

	for _, name := range s.Environments {
		if !slices.Contains(envNames, name) {
			errs = append(errs, fmt.Errorf("unknown environment %q; valid environments: %s", name, strings.Join(envNames, ", ")))
		}
	}
	for _, name := range s.Regions {
		info, ok := environments.LookupRegion(name)
		if !ok || !regionSet[info.Name] {
			errs = append(errs, fmt.Errorf("unknown region %q; valid regions: %s (or their codes)", name, strings.Join(regionNames, ", ")))
		}
	}
	for _, name := range s.Layers {
		if !slices.Contains(Layers, name) {
			errs = append(errs, fmt.Errorf("unknown layer %q; valid layers: %s", name, strings.Join(Layers, ", ")))
		}
	}
	return errors.Join(errs...)
}

func (s Selection) hasEnvironment(name string) bool {
	return len(s.Environments) == 0 || slices.Contains(s.Environments, name)
}

func (s Selection) hasRegion(r environments.Region) bool {
	return len(s.Regions) == 0 || slices.Contains(s.Regions, r.Name) || slices.Contains(s.Regions, r.Code())
}

func (s Selection) hasLayer(layer string) bool {
	return len(s.Layers) == 0 || slices.Contains(s.Layers, layer)
}

func splitList(s string) []string {
	var values []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			values = append(values, v)
		}
	}
	return values
}
