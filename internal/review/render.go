package review

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Format selects the output of Render.
type Format string

// Output formats.
const (
	// FormatMarkdown is GitHub-flavoured Markdown for a pull-request comment.
	FormatMarkdown Format = "markdown"
	// FormatText is the same report as plain text for a terminal.
	FormatText Format = "text"
)

// RenderOptions describes the comparison for the report header.
type RenderOptions struct {
	Format Format
	// Baseline names what the fleet was compared with, such as
	// "__snapshots__" or "git ref main".
	Baseline string
	// Current names the synthesized fleet, such as "cdktf.out/stacks".
	Current string
}

// maxAttributeLines is the number of attribute lines shown per resource.
// The rest are only counted, so that a mass change such as a new tag on
// every resource still fits in a pull-request comment.
const maxAttributeLines = 25

// Render writes the report. Replacements, IAM, trust and security-group
// changes and policy suppressions come before the other changes of each
// stack.
func Render(w io.Writer, r Report, opts RenderOptions) error {
	out := &renderer{markdown: opts.Format != FormatText}
	out.header(r, opts)
	for _, stack := range r.Stacks {
		out.stack(stack)
	}
	_, err := io.WriteString(w, out.String())
	return err
}

type renderer struct {
	strings.Builder
	markdown bool
}

func (r *renderer) line(format string, args ...any) {
	fmt.Fprintf(r, format+"\n", args...)
}

// blank ends the output so far with exactly one empty line.
func (r *renderer) blank() {
	text := r.String()
	switch {
	case text == "" || strings.HasSuffix(text, "\n\n"):
	case strings.HasSuffix(text, "\n"):
		r.line("")
	default:
		r.line("\n")
	}
}

func (r *renderer) heading(level int, text string) {
	r.blank()
	if r.markdown {
		r.line("%s %s", strings.Repeat("#", level), text)
	} else {
		underline := "-"
		if level <= 3 {
			underline = "="
		}
		r.line("%s\n%s", text, strings.Repeat(underline, len(text)))
	}
	r.line("")
}

// code quotes s as inline code in Markdown, with a fence longer than any
// run of backticks inside it.
func (r *renderer) code(s string) string {
	if !r.markdown {
		return s
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

func (r *renderer) item(depth int, format string, args ...any) {
	r.line("%s- %s", strings.Repeat("  ", depth), fmt.Sprintf(format, args...))
}

func (r *renderer) header(report Report, opts RenderOptions) {
	if r.markdown {
		r.line("## Infrastructure review")
	} else {
		r.line("Infrastructure review")
	}
	r.line("")
	r.line("Compared %s with %s.", r.code(opts.Current), opts.Baseline)
	if !report.Changed() {
		r.line("")
		r.line("No stack changed.")
		return
	}
	r.line("")
	r.summary(report)
}

var summaryColumns = []string{"Stack", "Status", "Added", "Removed", "Changed", "Replacements", "IAM/SG changes", "Suppressions", "Outputs/settings"}

func (r *renderer) summary(report Report) {
	rows := make([][]string, 0, len(report.Stacks))
	for _, s := range report.Stacks {
		c := s.Counts()
		rows = append(rows, []string{
			s.Name, string(s.Status),
			fmt.Sprint(c.Added), fmt.Sprint(c.Removed), fmt.Sprint(c.Changed),
			fmt.Sprint(c.Replacements), fmt.Sprint(c.Reviewed), fmt.Sprint(c.Suppressions),
			fmt.Sprint(c.Outputs + c.Settings),
		})
	}

	if !r.markdown {
		tw := tabwriter.NewWriter(r, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(summaryColumns, "\t"))
		for _, row := range rows {
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
		tw.Flush()
		return
	}
	r.line("| %s |", strings.Join(summaryColumns, " | "))
	r.line("|---|---|%s", strings.Repeat("---:|", len(summaryColumns)-2))
	for _, row := range rows {
		r.line("| %s |", strings.Join(row, " | "))
	}
}
