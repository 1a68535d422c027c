package helmrelease

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/internal/jsiiruntime"
)

//go:embed chart
var manifestsChart embed.FS

// ManifestsConfig configures a release that applies plain manifests.
type ManifestsConfig struct {
	// Name is the release name (required).
	Name string

	// Namespace holds the release record; the manifests carry their own
	// namespaces (required).
	Namespace string

	// Manifests are Kubernetes objects as typed structs or maps; each must
	// have apiVersion, kind and metadata.name once marshalled (required).
	Manifests []any

	TimeoutSeconds int
	Provider       cdktf.TerraformProvider
	DependsOn      []cdktf.ITerraformDependable
}

// NewManifests creates a Helm release of the chart embedded in this package,
// which renders the given manifests. It panics if cfg is invalid.
//
// The helm provider renders and diffs the release without contacting the API
// server at plan time, unlike kubernetes_manifest, which needs the API server
// (and the CRDs) to exist before the first plan. Terraform writes the chart
// as an asset next to the synthesized stack, so the stack folder is complete
// on its own.
func NewManifests(scope constructs.Construct, id string, cfg ManifestsConfig) release.Release {
	if err := validateManifests(cfg); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))

	dir, hash, err := writeChart()
	if err != nil {
		panic(fmt.Sprintf("helmrelease: writing the manifests chart: %v", err))
	}
	chart := cdktf.NewTerraformAsset(c, jsii.String("chart"), &cdktf.TerraformAssetConfig{
		Path:      jsii.String(dir),
		Type:      cdktf.AssetType_DIRECTORY,
		AssetHash: jsii.String(hash),
	})

	rc := &release.ReleaseConfig{
		Name:          jsii.String(cfg.Name),
		Namespace:     jsii.String(cfg.Namespace),
		Chart:         chart.Path(),
		Atomic:        jsii.Bool(true),
		CleanupOnFail: jsii.Bool(true),
		Wait:          jsii.Bool(true),
		Values:        jsii.Strings(MarshalValues(map[string]any{"manifests": cfg.Manifests})),
		Provider:      cfg.Provider,
	}
	if cfg.TimeoutSeconds > 0 {
		rc.Timeout = jsii.Number(float64(cfg.TimeoutSeconds))
	}
	if len(cfg.DependsOn) > 0 {
		rc.DependsOn = &cfg.DependsOn
	}
	return release.NewRelease(c, jsii.String("release"), rc)
}

func validateManifests(cfg ManifestsConfig) error {
	var errs []error
	if len(cfg.Name) > 53 || !releaseName.MatchString(cfg.Name) {
		errs = append(errs, fmt.Errorf("helmrelease: ManifestsConfig.Name %q is not a valid release name", cfg.Name))
	}
	if len(cfg.Namespace) > 63 || !releaseName.MatchString(cfg.Namespace) {
		errs = append(errs, fmt.Errorf("helmrelease: ManifestsConfig.Namespace %q is not a valid namespace name", cfg.Namespace))
	}
	if len(cfg.Manifests) == 0 {
		errs = append(errs, fmt.Errorf("helmrelease: release %q has no manifests", cfg.Name))
	}

	for i, m := range cfg.Manifests {
		var object struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if err := roundTrip(m, &object); err != nil {
			errs = append(errs, fmt.Errorf("helmrelease: release %q: Manifests[%d] cannot be marshalled: %w", cfg.Name, i, err))
			continue
		}
		if object.APIVersion == "" || object.Kind == "" || object.Metadata.Name == "" {
			errs = append(errs, fmt.Errorf("helmrelease: release %q: Manifests[%d] needs apiVersion, kind and metadata.name", cfg.Name, i))
		}
	}
	return errors.Join(errs...)
}

// writeChart copies the embedded chart into the process's scratch directory
// (removed by jsiiruntime.Close), once per process, and returns the folder and
// the chart's content hash.
func writeChart() (string, string, error) {
	chartOnce.Do(func() {
		chartDir, chartHash, chartErr = copyChart()
	})
	return chartDir, chartHash, chartErr
}

var (
	chartOnce sync.Once
	chartDir  string
	chartHash string
	chartErr  error
)

func copyChart() (string, string, error) {
	sum := sha256.New()
	err := fs.WalkDir(manifestsChart, "chart", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := manifestsChart.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(sum, "%s\x00%d\x00", path, len(data))
		sum.Write(data)
		return nil
	})
	if err != nil {
		return "", "", err
	}
	hash := hex.EncodeToString(sum.Sum(nil))[:16]

	scratch, err := jsiiruntime.ScratchDir()
	if err != nil {
		return "", "", err
	}
	dir := filepath.Join(scratch, "manifests-chart-"+hash)
	err = fs.WalkDir(manifestsChart, "chart", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("chart", path)
		target := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := manifestsChart.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		return "", "", err
	}
	return dir, hash, nil
}
