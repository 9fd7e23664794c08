package io.sluice.api;

import com.google.protobuf.FieldMask;
import com.google.protobuf.util.FieldMaskUtil;
import io.sluice.proto.v1.Pipeline;
import java.util.Optional;

/** UpdatePipeline's field mask (AIP-134): checked against the {@link Pipeline} message, then laid over the stored pipeline. */
final class UpdateMasks {
    private static final FieldMaskUtil.MergeOptions REPLACE = new FieldMaskUtil.MergeOptions()
            .setReplaceMessageFields(true)
            .setReplaceRepeatedFields(true)
            .setReplacePrimitiveFields(true);

    private UpdateMasks() {
    }

    /** The mask, when it names only fields of a pipeline that an update may change. */
    static FieldMask checked(FieldMask mask) {
        if (!FieldMaskUtil.isValid(Pipeline.class, mask)) {
            throw StatusMapper.invalidArgument("update_mask", "names a field Pipeline does not have: " + mask.getPathsList());
        }
        if (mask.getPathsList().contains("name")) {
            throw StatusMapper.invalidArgument("update_mask", "a pipeline cannot be renamed; create one under the new name");
        }
        return mask;
    }

    /**
     * The pipeline an update asks for: the stored one with the masked fields taken from the request, or the request
     * as it is when the mask is empty (the whole spec) or no pipeline is stored (the update creates it).
     */
    static Pipeline merged(Optional<Pipeline> stored, Pipeline requested, FieldMask mask) {
        if (stored.isEmpty() || mask.getPathsCount() == 0) {
            return requested;
        }
        Pipeline.Builder builder = stored.get().toBuilder();
        FieldMaskUtil.merge(mask, requested, builder, REPLACE);
        return builder.build();
    }
}
