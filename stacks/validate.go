package stacks

import (
	"errors"
	"fmt"
	"strings"

	"github.com/honeyhive/platform/constructs/eks"
	"github.com/honeyhive/platform/environments"
)

// Validate checks the rules that environments.Validate cannot, because they
// depend on what the constructs support, such as the Kubernetes versions
// that have pinned add-on versions. Like environments.Validate, it joins one
// *environments.FieldError per problem.
func Validate(envs []environments.Environment) error {
	var errs []error
	for _, e := range envs {
		if _, ok := eks.SupportedVersions[e.Kubernetes.Version]; !ok {
			errs = append(errs, &environments.FieldError{
				Environment: e.Name,
				Field:       "Kubernetes.Version",
				Problem:     fmt.Sprintf("Kubernetes %q has no pinned EKS add-on versions", e.Kubernetes.Version),
				Fix:         "use one of " + strings.Join(eks.SupportedVersionList(), ", ") + ", or pin the add-on versions for it in constructs/eks",
			})
		}
	}
	return errors.Join(errs...)
}
