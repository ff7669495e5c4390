"""What happens in themes that apps above act on (see organisations.hooks)."""

from organisations.hooks import Hook

# The analysis of themes for a combined session went out: receivers(analysis) make what goes
# with it (reports renders its PDF).
analysis_sent = Hook("analysis sent")
