package review

// StackCounts summarizes a StackDiff for the summary table.
type StackCounts struct {
	// Added, Removed and Changed count resources and data sources; Changed
	// includes moves and address changes.
	Added, Removed, Changed int
	// Replacements counts resources that the deploy destroys and recreates.
	Replacements int
	// Reviewed counts resources with an IAM, trust or security-group change.
	Reviewed int
	// Suppressions counts changed policy suppressions.
	Suppressions int
	// Outputs and Settings count changed outputs and other top-level blocks.
	Outputs, Settings int
}

// Counts returns the summary counts of the stack.
func (d StackDiff) Counts() StackCounts {
	counts := StackCounts{Outputs: len(d.Outputs), Settings: len(d.Settings)}
	for _, c := range d.Resources {
		switch c.Action {
		case Create:
			counts.Added++
		case Delete:
			counts.Removed++
		default:
			counts.Changed++
		}
		if c.Replaced {
			counts.Replacements++
		}
		if len(c.Categories) > 0 {
			counts.Reviewed++
		}
		counts.Suppressions += len(c.Suppressions)
	}
	return counts
}
