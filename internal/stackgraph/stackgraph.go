// Package stackgraph describes the stacks of a synth and their dependencies
// in deploy order, as text and as a Mermaid diagram.
package stackgraph

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Graph is a set of stacks in deploy order with their direct dependencies.
type Graph struct {
	// Order lists every stack after the stacks it depends on.
	Order []string

	// DependsOn maps a stack to the stacks that must deploy before it,
	// without those that another dependency already implies.
	DependsOn map[string][]string
}

// manifest is the part of CDKTF's manifest.json this package reads.
type manifest struct {
	Stacks map[string]struct {
		Dependencies []string `json:"dependencies"`
	} `json:"stacks"`
}

// Load reads the dependencies from the manifest.json of a synth and orders
// the stacks: order (the app's deploy order) decides between stacks that do
// not depend on each other. Every stack in order must be in the manifest.
func Load(manifestPath string, order []string) (Graph, error) {
	data, err := os.ReadFile(manifestPath)
	if err != nil {
		return Graph{}, fmt.Errorf("reading %s: %w; run make synth first", manifestPath, err)
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return Graph{}, fmt.Errorf("parsing %s: %w", manifestPath, err)
	}

	deps := map[string][]string{}
	for _, name := range order {
		stack, ok := m.Stacks[name]
		if !ok {
			return Graph{}, fmt.Errorf("stack %s is not in %s; run make synth with the same selection first", name, manifestPath)
		}
		for _, d := range stack.Dependencies {
			if slices.Contains(order, d) {
				deps[name] = append(deps[name], d)
			}
		}
	}
	return New(order, deps)
}

// New orders the stacks of deps, a map from stack to the stacks it depends
// on, breaking ties by their position in order, and drops the dependencies
// that others imply. It fails on a dependency cycle.
func New(order []string, deps map[string][]string) (Graph, error) {
	position := map[string]int{}
	for i, name := range order {
		position[name] = i
	}

	var sorted []string
	done := map[string]bool{}
	for len(sorted) < len(order) {
		next := ""
		for _, name := range order {
			if done[name] {
				continue
			}
			ready := true
			for _, d := range deps[name] {
				if !done[d] {
					ready = false
				}
			}
			if ready {
				next = name
				break
			}
		}
		if next == "" {
			return Graph{}, fmt.Errorf("the stack dependencies have a cycle among %s", strings.Join(remaining(order, done), ", "))
		}
		done[next] = true
		sorted = append(sorted, next)
	}

	g := Graph{Order: sorted, DependsOn: map[string][]string{}}
	for _, name := range sorted {
		for _, d := range deps[name] {
			if !impliedByOther(deps, name, d) && !slices.Contains(g.DependsOn[name], d) {
				g.DependsOn[name] = append(g.DependsOn[name], d)
			}
		}
		slices.SortFunc(g.DependsOn[name], func(a, b string) int { return position[a] - position[b] })
	}
	return g, nil
}

func remaining(order []string, done map[string]bool) []string {
	var left []string
	for _, name := range order {
		if !done[name] {
			left = append(left, name)
		}
	}
	return left
}

// impliedByOther reports whether stack reaches dep through another of its
// dependencies.
func impliedByOther(deps map[string][]string, stack, dep string) bool {
	for _, other := range deps[stack] {
		if other != dep && reaches(deps, other, dep, map[string]bool{}) {
			return true
		}
	}
	return false
}

func reaches(deps map[string][]string, from, to string, seen map[string]bool) bool {
	if from == to {
		return true
	}
	if seen[from] {
		return false
	}
	seen[from] = true
	for _, d := range deps[from] {
		if reaches(deps, d, to, seen) {
			return true
		}
	}
	return false
}

// Text lists the stacks in deploy order, each with the stacks it follows.
func (g Graph) Text() string {
	width := 0
	for _, name := range g.Order {
		width = max(width, len(name))
	}
	var b strings.Builder
	for i, name := range g.Order {
		line := fmt.Sprintf("%3d  %-*s", i+1, width, name)
		if deps := g.DependsOn[name]; len(deps) > 0 {
			line += "  after " + strings.Join(deps, ", ")
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	return b.String()
}

// Mermaid renders the graph as a Mermaid flowchart, an arrow from each
// stack to the stacks that deploy after it.
func (g Graph) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for _, name := range g.Order {
		fmt.Fprintf(&b, "  %s[%s]\n", nodeID(name), name)
	}
	for _, name := range g.Order {
		for _, d := range g.DependsOn[name] {
			fmt.Fprintf(&b, "  %s --> %s\n", nodeID(d), nodeID(name))
		}
	}
	return b.String()
}

// nodeID turns a stack name into a Mermaid node ID, which may not contain
// hyphens.
func nodeID(name string) string {
	return strings.ReplaceAll(name, "-", "_")
}
