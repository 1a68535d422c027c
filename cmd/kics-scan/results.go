package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// finding is one result of one KICS query.
type finding struct {
	QueryID   string
	QueryName string
	Severity  string

	// Stack is the name of the stack folder the file is in.
	Stack string

	// Resource is the resource's Terraform address, "<type>.<name>", or
	// empty when KICS names none.
	Resource string

	Line   int
	Actual string
}

// resultsFile is the part of KICS's JSON report this command reads.
type resultsFile struct {
	FilesScanned int `json:"files_scanned"`
	Queries      []struct {
		QueryID   string `json:"query_id"`
		QueryName string `json:"query_name"`
		Severity  string `json:"severity"`
		Files     []struct {
			FileName    string `json:"file_name"`
			Line        int    `json:"line"`
			SearchKey   string `json:"search_key"`
			ActualValue string `json:"actual_value"`
		} `json:"files"`
	} `json:"queries"`
}

// searchKeyResource matches the resource at the start of a KICS search
// key, such as "aws_iam_role[state_role_test].assume_role_policy" or
// "aws_default_security_group[{{network_default_security_group}}].ingress".
var searchKeyResource = regexp.MustCompile(`^(?:resource\.)?([a-z0-9_]+)(?:\[(?:\{\{)?([A-Za-z0-9_-]+)(?:\}\})?\]|\.([A-Za-z0-9_-]+))`)

// readResults reads KICS's results.json.
func readResults(path string) ([]finding, int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, fmt.Errorf("reading the KICS report: %w", err)
	}
	var results resultsFile
	if err := json.Unmarshal(data, &results); err != nil {
		return nil, 0, fmt.Errorf("parsing the KICS report %s: %w", path, err)
	}

	var findings []finding
	for _, q := range results.Queries {
		for _, f := range q.Files {
			findings = append(findings, finding{
				QueryID:   q.QueryID,
				QueryName: q.QueryName,
				Severity:  q.Severity,
				Stack:     filepath.Base(filepath.Dir(f.FileName)),
				Resource:  resourceOf(f.SearchKey),
				Line:      f.Line,
				Actual:    f.ActualValue,
			})
		}
	}
	return findings, results.FilesScanned, nil
}

// resourceOf returns the Terraform address a search key starts with, or "".
func resourceOf(searchKey string) string {
	m := searchKeyResource.FindStringSubmatch(searchKey)
	if m == nil {
		return ""
	}
	name := m[2]
	if name == "" {
		name = m[3]
	}
	return m[1] + "." + name
}
