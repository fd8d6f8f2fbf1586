"""The ways of taking a screenshot, one module each, all behind capture.models.HandlerProtocol."""
