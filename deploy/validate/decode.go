package main

import (
	"context"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	"knative.dev/pkg/apis"
	servingv1 "knative.dev/serving/pkg/apis/serving/v1"
)

// Object is one rendered object, decoded into its API type.
type Object struct {
	Kind      schema.GroupVersionKind
	Name      string
	Namespace string
	Value     runtime.Object
}

// String names the object as problems do: kind, then namespace/name.
func (o Object) String() string {
	if o.Namespace == "" {
		return o.Kind.Kind + " " + o.Name
	}
	return o.Kind.Kind + " " + o.Namespace + "/" + o.Name
}

// The API groups the manifests may use; an object of any other kind is refused rather than passed unchecked.
var scheme = func() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme, servingv1.AddToScheme} {
		if err := add(s); err != nil {
			panic(err)
		}
	}
	return s
}()

// Strict: a field the type does not have, or one given twice, is an error (kubectl would drop or reject it).
var strict = json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme, scheme, json.SerializerOptions{Strict: true})

// Decode turns one object's JSON into its API type. Values of the wrong type fail too, as do quantities and other
// fields with a syntax of their own, since their types parse them. A Knative Service is also defaulted and
// validated as Knative's admission webhook would.
func Decode(document []byte) (Object, error) {
	value, kind, err := strict.Decode(document, nil, nil)
	if err != nil {
		return Object{}, err
	}
	accessor, ok := value.(interface {
		GetName() string
		GetNamespace() string
	})
	if !ok {
		return Object{}, fmt.Errorf("%s has no metadata", kind)
	}
	if service, ok := value.(*servingv1.Service); ok {
		if err := validateKnative(service); err != nil {
			return Object{}, err
		}
	}
	return Object{Kind: *kind, Name: accessor.GetName(), Namespace: accessor.GetNamespace(), Value: value}, nil
}

func validateKnative(service *servingv1.Service) error {
	ctx := apis.WithinCreate(context.Background())
	defaulted := service.DeepCopy()
	defaulted.SetDefaults(ctx)
	if problems := defaulted.Validate(ctx); problems != nil {
		return fmt.Errorf("Knative refuses it: %v", problems)
	}
	return nil
}
