"""voc: offline voice-of-customer analysis for Chinese, English and code-mixed feedback."""

__version__ = "0.1.0"
