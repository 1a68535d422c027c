package stacks

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/environments"
)

func TestValidateAcceptsBundledEnvironments(t *testing.T) {
	require.NoError(t, Validate(environments.All()))
}

func TestValidateRejectsUnpinnedKubernetesVersion(t *testing.T) {
	envs := environments.All()
	envs[2].Kubernetes.Version = "1.19"

	err := Validate(envs)
	require.Error(t, err)

	var fe *environments.FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "prod", fe.Environment)
	assert.Equal(t, "Kubernetes.Version", fe.Field)
	assert.Contains(t, fe.Problem, `Kubernetes "1.19" has no pinned EKS add-on versions`)
	assert.Contains(t, fe.Fix, "1.32, 1.33")
}
