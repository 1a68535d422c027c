package eks

import (
	"errors"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-kubernetes-go/kubernetes/v11/storageclassv1"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/honeyhive/platform/constructs/awsid"
)

// DefaultStorageClassName is the name of the StorageClass that
// NewDefaultStorageClass creates.
const DefaultStorageClassName = "gp3"

// ebsCSIProvisioner is the provisioner name of the EBS CSI driver.
const ebsCSIProvisioner = "ebs.csi.aws.com"

// StorageClassConfig configures NewDefaultStorageClass.
type StorageClassConfig struct {
	// KMSKeyARN is the customer-managed key that encrypts every volume of the
	// class. The EBS CSI driver's role must be allowed to use it, as the role
	// NewAddons creates is for its VolumeKMSKeyARN. Required.
	KMSKeyARN *string

	// Provider is the Kubernetes provider of the cluster. Default: nil, which
	// uses the stack's default Kubernetes provider.
	Provider cdktf.TerraformProvider

	// DependsOn orders the StorageClass after other resources, usually the
	// EBS CSI add-on and the access entries of the identity the provider
	// authenticates as. Optional.
	DependsOn []cdktf.ITerraformDependable
}

// Validate returns every problem with the configuration, joined, or nil.
func (c StorageClassConfig) Validate() error {
	var errs []error
	if err := awsid.KMSKeyARN("eks: StorageClassConfig.KMSKeyARN", c.KMSKeyARN); err != nil {
		errs = append(errs, err)
	}
	for i, d := range c.DependsOn {
		if d == nil {
			errs = append(errs, fmt.Errorf("eks: StorageClassConfig.DependsOn[%d] is nil; remove the entry or pass a resource", i))
		}
	}
	return errors.Join(errs...)
}

// NewDefaultStorageClass creates the "gp3" StorageClass and marks it as the
// cluster default, so a PersistentVolumeClaim without a class gets an
// encrypted gp3 volume. It panics if cfg is invalid.
//
// Volumes are created when the first pod that uses them is scheduled
// (WaitForFirstConsumer), so they land in that pod's Availability Zone. They
// can be expanded in place. The reclaim policy is Retain: deleting a claim,
// or the namespace holding it, leaves the volume and its data in place until
// someone deletes it deliberately.
func NewDefaultStorageClass(scope constructs.Construct, id string, cfg StorageClassConfig) storageclassv1.StorageClassV1 {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))

	config := &storageclassv1.StorageClassV1Config{
		Metadata: &storageclassv1.StorageClassV1Metadata{
			Name: jsii.String(DefaultStorageClassName),
			Annotations: &map[string]*string{
				"storageclass.kubernetes.io/is-default-class": jsii.String("true"),
			},
		},
		StorageProvisioner: jsii.String(ebsCSIProvisioner),
		Parameters: &map[string]*string{
			"type":      jsii.String("gp3"),
			"encrypted": jsii.String("true"),
			"kmsKeyId":  cfg.KMSKeyARN,
		},
		VolumeBindingMode:    jsii.String("WaitForFirstConsumer"),
		AllowVolumeExpansion: jsii.Bool(true),
		ReclaimPolicy:        jsii.String("Retain"),
		Provider:             cfg.Provider,
	}
	if len(cfg.DependsOn) > 0 {
		config.DependsOn = &cfg.DependsOn
	}
	return storageclassv1.NewStorageClassV1(c, jsii.String("gp3"), config)
}
