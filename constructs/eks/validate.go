package eks

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/honeyhive/platform/constructs/awsid"
)

// supportedPartitions are the partitions whose service principals end in
// amazonaws.com, which the trust policies here rely on.
var supportedPartitions = []string{"aws", "aws-us-gov"}

// eksNamePattern is the pattern the EKS API documents for cluster and node
// group names.
var eksNamePattern = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]*$`)

// isLiteral reports whether s is a plain value known at synth time rather
// than a token of another resource.
func isLiteral(s *string) bool {
	return s != nil && !*cdktf.Token_IsUnresolved(s)
}

// validateIDs checks a list of resource IDs that may be tokens: none may be
// missing, and literal values must start with prefix, such as "subnet-".
// kind names the resource in messages.
func validateIDs(field string, ids []*string, prefix, kind string) []error {
	var errs []error
	for i, id := range ids {
		switch {
		case awsid.Missing(id):
			errs = append(errs, fmt.Errorf("eks: %s[%d] is missing; pass a %s ID or a token of one", field, i, kind))
		case isLiteral(id) && !strings.HasPrefix(*id, prefix):
			errs = append(errs, fmt.Errorf("eks: %s[%d]: %q is not a %s ID; pass an ID that starts with %q", field, i, *id, kind, prefix))
		}
	}
	return errs
}
