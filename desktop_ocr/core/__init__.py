"""The OCR core: result model, image sources, local engine, rotation, layout. No Qt here."""
