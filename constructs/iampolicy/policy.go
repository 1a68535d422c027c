// Package iampolicy builds IAM policy documents as Go values.
//
// Values may contain CDKTF string tokens (a role ARN, a queue ARN): CDKTF
// resolves tokens inside any string it synthesizes, so the JSON that
// Document.JSON returns becomes a Terraform string with interpolations.
package iampolicy

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Document is an IAM policy document.
type Document struct {
	Statements []Statement
}

// Statement is one statement of a policy. Empty fields are left out.
type Statement struct {
	Sid    string
	Effect string // "Allow" unless set to "Deny"

	// Principal maps a principal type ("AWS", "Service", "Federated") to its
	// values; only resource and trust policies have one.
	Principal map[string][]string

	Actions   []string
	Resources []string

	// Conditions maps an operator ("StringEquals") to keys and their values.
	Conditions map[string]map[string][]string
}

// JSON returns the document as IAM policy JSON.
func (d Document) JSON() string {
	type statement struct {
		Sid       string                         `json:"Sid,omitempty"`
		Effect    string                         `json:"Effect"`
		Principal map[string][]string            `json:"Principal,omitempty"`
		Action    []string                       `json:"Action"`
		Resource  []string                       `json:"Resource,omitempty"`
		Condition map[string]map[string][]string `json:"Condition,omitempty"`
	}
	doc := struct {
		Version   string      `json:"Version"`
		Statement []statement `json:"Statement"`
	}{Version: "2012-10-17"}

	for _, s := range d.Statements {
		effect := s.Effect
		if effect == "" {
			effect = "Allow"
		}
		doc.Statement = append(doc.Statement, statement{
			Sid:       s.Sid,
			Effect:    effect,
			Principal: s.Principal,
			Action:    s.Actions,
			Resource:  s.Resources,
			Condition: s.Conditions,
		})
	}

	var b strings.Builder
	enc := json.NewEncoder(&b)
	// Keep "<", ">" and "&" readable in reviews instead of \u003c escapes.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		panic(fmt.Sprintf("iampolicy: encoding a policy of plain strings cannot fail: %v", err))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// WildcardActions returns the actions of d that end in "*" or are "*", for
// tests that check a policy is least privilege.
func (d Document) WildcardActions() []string {
	var found []string
	for _, s := range d.Statements {
		for _, a := range s.Actions {
			if strings.HasSuffix(a, "*") {
				found = append(found, a)
			}
		}
	}
	return found
}
