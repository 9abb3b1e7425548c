package engine

// Recognizer is what the importer and the log reader ask an engine: whether an image, command line or start-up log
// is this engine's, and how to read its flags back into values. Implemented in vllm_recognize.go and
// sglang_recognize.go.
type Recognizer interface{}
