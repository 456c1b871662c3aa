#pragma once

#include <string>
#include <vector>

#include "model.h"

namespace archscope {

/// One line of "why is this layer slow": a label, the figure, and how it was obtained.
struct ExplainLine {
    std::string label;
    std::string value;
    std::string how;  ///< the formula or rule behind the value; may be empty
};

/// The numbers behind one fused op's time: what it contains, how its convolution is tiled, the
/// time on each unit, what bounds it and where it sits against the roofline.
std::vector<ExplainLine> explainGroup(const Profile& p, const std::vector<Layer>& layers,
                                      const GroupCost& g, Dtype dtype);

/// The same as aligned text, one line each.
std::string explainText(const std::vector<ExplainLine>& lines);

/// The index of the group that contains layer `layerIndex`, or -1.
int groupOfLayer(const std::vector<GroupCost>& groups, int layerIndex);

/// "12.3 us", "1.20 ms", "850 ns".
std::string formatSeconds(double seconds);

}  // namespace archscope
