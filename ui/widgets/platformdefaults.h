#pragma once

#include <QString>

#include "hw/profile.h"
#include "zoo/zoo.h"

namespace archscope::ui {

/// The EfficientNet-X family searched for this kind of platform: X-TPU on a TPU; X-GPU elsewhere
/// (the paper has no CPU family, and X-GPU's plain blocks without space-to-depth suit a CPU's
/// FMA units better than X-TPU's). Views default to its member beside EfficientNet's.
inline QString platformXFamily(const Profile& p) {
    return QString::fromUtf8(
        (p.kind == "tpu" ? kFamilyEfficientNetXTpu : kFamilyEfficientNetXGpu).data());
}

/// "efficientnet-x-gpu-b0" on a GPU profile, "efficientnet-x-tpu-b0" on a TPU.
inline QString platformXMember(const Profile& p, int level = 0) {
    return QString::fromStdString(familyMemberName(platformXFamily(p).toStdString(), level));
}

}  // namespace archscope::ui
