package main

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metavalidation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	servingv1 "knative.dev/serving/pkg/apis/serving/v1"
)

// A pod template found in a rendered object, with the path to it for messages.
type podTemplate struct {
	owner  Object
	path   *field.Path
	labels map[string]string
	spec   *corev1.PodSpec
}

// Check applies what the API server and the kubelet would find wrong but the types alone cannot say: names and
// labels by apimachinery's rules, and references between the rendered objects (volumes to mounts, ConfigMaps,
// Secrets and claims to their objects, probes and Services to named ports, selectors to pod templates).
func Check(objects []Object) []string {
	var problems []string
	report := func(object Object, errs field.ErrorList) {
		for _, err := range errs {
			problems = append(problems, fmt.Sprintf("%s: %v", object, err))
		}
	}
	var templates []podTemplate
	for _, object := range objects {
		report(object, checkMetadata(object))
		switch value := object.Value.(type) {
		case *appsv1.Deployment:
			path := field.NewPath("spec", "template")
			templates = append(templates, podTemplate{object, path, value.Spec.Template.Labels, &value.Spec.Template.Spec})
			report(object, checkSelector(value.Spec.Selector, value.Spec.Template.Labels, field.NewPath("spec", "selector")))
		case *batchv1.Job:
			templates = append(templates, podTemplate{object, field.NewPath("spec", "template"), value.Spec.Template.Labels, &value.Spec.Template.Spec})
		case *batchv1.CronJob:
			template := &value.Spec.JobTemplate.Spec.Template
			templates = append(templates, podTemplate{object, field.NewPath("spec", "jobTemplate", "spec", "template"), template.Labels, &template.Spec})
		case *servingv1.Service:
			template := &value.Spec.Template
			templates = append(templates, podTemplate{object, field.NewPath("spec", "template"), template.Labels, &template.Spec.PodSpec})
		}
	}
	for _, template := range templates {
		report(template.owner, checkPodSpec(template, objects))
	}
	for _, object := range objects {
		if service, ok := object.Value.(*corev1.Service); ok {
			report(object, checkService(object, service, templates))
		}
	}
	return problems
}

func checkMetadata(object Object) field.ErrorList {
	meta, ok := object.Value.(metav1.ObjectMetaAccessor)
	if !ok {
		return field.ErrorList{field.Required(field.NewPath("metadata"), "")}
	}
	name := apivalidation.NameIsDNSSubdomain
	switch object.Value.(type) {
	case *corev1.Service, *corev1.Namespace:
		name = apivalidation.NameIsDNS1035Label
	}
	return apivalidation.ValidateObjectMetaAccessor(meta.GetObjectMeta(), object.Namespace != "", name, field.NewPath("metadata"))
}

func checkSelector(selector *metav1.LabelSelector, podLabels map[string]string, path *field.Path) field.ErrorList {
	errs := metavalidation.ValidateLabelSelector(selector, metavalidation.LabelSelectorValidationOptions{}, path)
	if len(errs) > 0 {
		return errs
	}
	matcher, err := metav1.LabelSelectorAsSelector(selector)
	if err != nil {
		return field.ErrorList{field.Invalid(path, selector, err.Error())}
	}
	if matcher.Empty() || !matcher.Matches(labels.Set(podLabels)) {
		return field.ErrorList{field.Invalid(path, selector.MatchLabels, "does not select the pod template's labels")}
	}
	return nil
}

func checkPodSpec(template podTemplate, objects []Object) field.ErrorList {
	path := template.path.Child("spec")
	errs := metavalidation.ValidateLabels(template.labels, template.path.Child("metadata", "labels"))
	volumes := map[string]bool{}
	for i, volume := range template.spec.Volumes {
		at := path.Child("volumes").Index(i)
		if volumes[volume.Name] {
			errs = append(errs, field.Duplicate(at.Child("name"), volume.Name))
		}
		volumes[volume.Name] = true
		errs = append(errs, checkVolumeSource(volume, at, template.owner.Namespace, objects)...)
	}
	containers := path.Child("containers")
	for i := range template.spec.Containers {
		errs = append(errs, checkContainer(&template.spec.Containers[i], containers.Index(i), volumes)...)
	}
	return errs
}

// A ConfigMap, Secret or claim the pod needs must be among the rendered objects (kustomize renames generated ones
// and rewrites the references it knows; a reference it missed points at nothing). Optional ones may be absent.
func checkVolumeSource(volume corev1.Volume, path *field.Path, namespace string, objects []Object) field.ErrorList {
	var kind, name string
	optional := false
	switch {
	case volume.ConfigMap != nil:
		kind, name = "ConfigMap", volume.ConfigMap.Name
		optional = volume.ConfigMap.Optional != nil && *volume.ConfigMap.Optional
	case volume.Secret != nil:
		kind, name = "Secret", volume.Secret.SecretName
		optional = volume.Secret.Optional != nil && *volume.Secret.Optional
	case volume.PersistentVolumeClaim != nil:
		kind, name = "PersistentVolumeClaim", volume.PersistentVolumeClaim.ClaimName
	default:
		return nil
	}
	for _, object := range objects {
		if object.Kind.Kind == kind && object.Name == name && object.Namespace == namespace {
			return nil
		}
	}
	if optional {
		return nil
	}
	return field.ErrorList{field.NotFound(path, fmt.Sprintf("%s %s", kind, name))}
}

func checkContainer(container *corev1.Container, path *field.Path, volumes map[string]bool) field.ErrorList {
	var errs field.ErrorList
	if container.Image == "" {
		errs = append(errs, field.Required(path.Child("image"), ""))
	}
	ports := map[string]bool{}
	for i, port := range container.Ports {
		if port.Name == "" {
			continue
		}
		for _, message := range validation.IsValidPortName(port.Name) {
			errs = append(errs, field.Invalid(path.Child("ports").Index(i).Child("name"), port.Name, message))
		}
		ports[port.Name] = true
	}
	for i, mount := range container.VolumeMounts {
		if !volumes[mount.Name] {
			errs = append(errs, field.NotFound(path.Child("volumeMounts").Index(i).Child("name"), mount.Name))
		}
	}
	for i, variable := range container.Env {
		for _, message := range validation.IsEnvVarName(variable.Name) {
			errs = append(errs, field.Invalid(path.Child("env").Index(i).Child("name"), variable.Name, message))
		}
	}
	for name, probe := range map[string]*corev1.Probe{"livenessProbe": container.LivenessProbe,
		"readinessProbe": container.ReadinessProbe, "startupProbe": container.StartupProbe} {
		if probe != nil && probe.HTTPGet != nil {
			errs = append(errs, checkPort(probe.HTTPGet.Port, ports, path.Child(name, "httpGet", "port"))...)
		}
	}
	for resource, limit := range container.Resources.Limits {
		if request, ok := container.Resources.Requests[resource]; ok && request.Cmp(limit) > 0 {
			errs = append(errs, field.Invalid(path.Child("resources", "requests").Key(string(resource)), request.String(),
				"must be less than or equal to the limit "+limit.String()))
		}
	}
	return errs
}

func checkPort(port intstr.IntOrString, named map[string]bool, path *field.Path) field.ErrorList {
	if port.Type == intstr.String && !named[port.StrVal] {
		return field.ErrorList{field.NotFound(path, port.StrVal)}
	}
	return nil
}

// A Service must select a pod template of the same namespace, and its named target ports must be that pod's.
func checkService(object Object, service *corev1.Service, templates []podTemplate) field.ErrorList {
	selector := labels.SelectorFromSet(service.Spec.Selector)
	for _, template := range templates {
		if template.owner.Namespace != object.Namespace || len(service.Spec.Selector) == 0 ||
			!selector.Matches(labels.Set(template.labels)) {
			continue
		}
		named := map[string]bool{}
		for _, container := range template.spec.Containers {
			for _, port := range container.Ports {
				named[port.Name] = true
			}
		}
		var errs field.ErrorList
		for i, port := range service.Spec.Ports {
			errs = append(errs, checkPort(port.TargetPort, named, field.NewPath("spec", "ports").Index(i).Child("targetPort"))...)
		}
		return errs
	}
	return field.ErrorList{field.Invalid(field.NewPath("spec", "selector"), service.Spec.Selector, "selects no pod template")}
}
