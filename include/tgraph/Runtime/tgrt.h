/*===- tgrt.h - The tgraph runtime C ABI ----------------------------------===*\
|*                                                                            *|
|* The flat C interface of the tgraph runtime: the only contract between the  *|
|* compiler (convert-tgraph-to-runtime emits calls to these symbols) and the  *|
|* runtime (lib/Runtime + runtime-cuda). Everything is an int, a pointer, a   *|
|* C string or an opaque handle, so that an MLIR lowering can call it with    *|
|* plain `func.call`s. Every function validates its arguments and returns a   *|
|* tgrt_status; on failure tgrt_last_error() holds a message (per thread).    *|
|* No function aborts on bad input.                                           *|
|*                                                                            *|
|* Life cycle: tgrt_runtime_create -> tgrt_register_*_kernel ->               *|
|* tgrt_graph_create -> tgrt_graph_add_* -> tgrt_graph_finalize ->            *|
|* tgrt_graph_replay (many times) -> tgrt_event_wait -> tgrt_graph_destroy -> *|
|* tgrt_runtime_destroy. Semantics: docs/runtime.md.                          *|
\*===----------------------------------------------------------------------===*/

#ifndef TGRAPH_RUNTIME_TGRT_H
#define TGRAPH_RUNTIME_TGRT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define TGRT_API __declspec(dllexport)
#else
#define TGRT_API __attribute__((visibility("default")))
#endif

/*===--- Status codes -----------------------------------------------------===*/

typedef enum tgrt_status {
  TGRT_OK = 0,
  TGRT_ERROR_INVALID_ARGUMENT = 1, /* null pointer, bad enum, bad size */
  TGRT_ERROR_INVALID_HANDLE = 2,   /* null, destroyed or foreign handle */
  TGRT_ERROR_OUT_OF_RANGE = 3,     /* node/param/processor index too large */
  TGRT_ERROR_NOT_FOUND = 4,        /* kernel name not registered */
  TGRT_ERROR_INVALID_STATE = 5,    /* e.g. adding to a finalized graph */
  TGRT_ERROR_CYCLE = 6,            /* dependence cycle found at finalize */
  TGRT_ERROR_UNSUPPORTED = 7,      /* e.g. CUDA streams without CUDA */
  TGRT_ERROR_NOT_READY = 8,        /* tgrt_event_query: not triggered yet */
  TGRT_ERROR_TIMEOUT = 9,          /* tgrt_event_wait_timeout expired */
  TGRT_ERROR_TASK_FAILED = 10,     /* the event/replay completed with failure */
  TGRT_ERROR_OUT_OF_MEMORY = 11,
  TGRT_ERROR_CUDA = 12,    /* a CUDA call failed; the message names it */
  TGRT_ERROR_ALREADY = 13, /* e.g. triggering an event twice */
  TGRT_ERROR_INTERNAL = 14
} tgrt_status;

/* The message of the last failing call on this thread ("" if none). The
 * pointer stays valid until the next tgrt call on this thread. */
TGRT_API const char *tgrt_last_error(void);
/* A constant name for a status code, e.g. "TGRT_ERROR_CYCLE". */
TGRT_API const char *tgrt_status_string(tgrt_status status);

/*===--- Handles ----------------------------------------------------------===*/

/* Opaque: never dereference one. A runtime, graph or event handle is a
 * generation-tagged entry of a table, not an address: once its runtime or
 * graph is destroyed, or its event released (or its runtime destroyed),
 * every call refuses it with TGRT_ERROR_INVALID_HANDLE (the check reads no
 * freed memory), and it never names an object created later, nor a pooled
 * event handed out again under a new handle. */
typedef struct tgrt_runtime_impl *tgrt_runtime;
typedef struct tgrt_graph_impl *tgrt_graph;
typedef struct tgrt_event_impl *tgrt_event;

/*===--- Runtime ----------------------------------------------------------===*/

typedef enum tgrt_stream_mode {
  TGRT_STREAMS_AUTO = 0,     /* CUDA if built with CUDA and a GPU exists, else
                                emulated */
  TGRT_STREAMS_EMULATED = 1, /* CPU threads act as streams (no GPU needed) */
  TGRT_STREAMS_CUDA = 2      /* real CUDA streams; fails if unavailable */
} tgrt_stream_mode;

typedef struct tgrt_config {
  uint32_t num_cpu_workers;      /* CPU worker threads (processors cpu 0..) */
  uint32_t num_gpus;             /* GPU processors (0 = none) */
  uint32_t streams_per_gpu;      /* compute streams per GPU */
  uint32_t copy_streams_per_gpu; /* copy streams per GPU */
  int32_t stream_mode;           /* a tgrt_stream_mode */
  uint32_t spin_iterations;      /* spin/yield rounds before a worker sleeps */
} tgrt_config;

/* Fills `config` with defaults: 1 worker, no GPU, 2 streams and 1 copy stream
 * per GPU, AUTO, a short spin. */
TGRT_API tgrt_status tgrt_config_init(tgrt_config *config);
TGRT_API tgrt_status tgrt_runtime_create(const tgrt_config *config,
                                         tgrt_runtime *out_runtime);
/* Waits for every replay in flight, destroys the remaining graphs and events,
 * stops the threads. */
TGRT_API tgrt_status tgrt_runtime_destroy(tgrt_runtime runtime);
/* 1 if the runtime drives real CUDA streams, 0 if streams are emulated. */
TGRT_API tgrt_status tgrt_runtime_uses_cuda(tgrt_runtime runtime,
                                            int32_t *out_uses_cuda);
/* Number of CUDA devices visible (0 without CUDA or without a GPU). */
TGRT_API int32_t tgrt_cuda_device_count(void);

/*===--- Buffer memory ----------------------------------------------------===*/

/* Allocates `bytes` of buffer memory of `mem_kind` (a tgrt_mem_kind): with
 * CUDA streams TGRT_MEM_DEVICE is device memory (cudaMalloc) and
 * TGRT_MEM_HOST pinned host memory; with emulated streams (or no GPU) both
 * are 64-byte-aligned host memory. Free with tgrt_mem_free and the same kind.
 */
TGRT_API tgrt_status tgrt_mem_alloc(tgrt_runtime runtime, int32_t mem_kind,
                                    uint64_t bytes, void **out_ptr);
TGRT_API tgrt_status tgrt_mem_free(tgrt_runtime runtime, int32_t mem_kind,
                                   void *ptr);
/* A synchronous copy between any two buffers of the runtime (either kind),
 * e.g. to initialise device buffers or read results back. */
TGRT_API tgrt_status tgrt_mem_copy(tgrt_runtime runtime, void *dst,
                                   const void *src, uint64_t bytes);

/*===--- Kernels ----------------------------------------------------------===*/

/* What a kernel sees when it runs. Valid only during the call. */
typedef struct tgrt_task_context {
  const uint64_t *args; /* argument words (ints, pointers, double bits) */
  uint32_t num_args;
  uint32_t num_results;
  uint64_t *results; /* result slots (host-visible): write the values here */
  uint64_t *results_device; /* the same slots as device pointers (CUDA) */
  /* GPU kernels: the stream to enqueue on (a cudaStream_t in CUDA mode; in
   * emulated mode the kernel body already runs "on" the emulated stream and
   * this is an opaque emulated stream). NULL for CPU kernels. */
  void *stream;
  /* Guarded predicate in CUDA mode: device pointer to an int32 flag that the
   * stream-ordered kernel must check (0 = skip). NULL otherwise. */
  const int32_t *guard_device;
  void *user_data;       /* as registered */
  const char *task_name; /* the task's name (or its kernel's) */
  uint64_t replay_index; /* 0-based count of replays of this graph */
  uint32_t processor;    /* cpu worker index, or gpu index */
  uint32_t stream_index; /* stream within the GPU */
  void *internal;        /* for tgrt_task_set_error */
} tgrt_task_context;

/* A kernel returns 0 on success. Nonzero fails the task: its dependents are
 * poisoned (not run) and the replay completes with TGRT_ERROR_TASK_FAILED.
 * A kernel (written in C++) that throws fails its task the same way; the
 * replay's message is "kernel threw: " and the exception's what(). */
typedef int32_t (*tgrt_kernel_fn)(tgrt_task_context *ctx);

/* Attaches a message to the failure a kernel is about to return. */
TGRT_API void tgrt_task_set_error(tgrt_task_context *ctx, const char *message);

typedef enum tgrt_kernel_flags {
  TGRT_KERNEL_NONE = 0,
  /* GPU: all work is queued on ctx->stream and the host does not touch the
   * data; only such kernels take part in runahead (device dependences). */
  TGRT_KERNEL_STREAM_ORDERED = 1,
  /* GPU, with STREAM_ORDERED: what the kernel enqueues depends only on its
   * arguments and ctx's pointers (not on ctx->replay_index, and with no
   * host-side effect per call), so the runtime may
   * record the launches of an all-device graph once into a device graph (a
   * CUDA graph) and relaunch that on later replays: the kernel function is
   * then not called on every replay. Re-recorded when parameters change. */
  TGRT_KERNEL_CAPTURABLE = 2
} tgrt_kernel_flags;

/* Registers a CPU kernel (runs on a CPU worker). Names are unique per runtime;
 * re-registering a name fails with TGRT_ERROR_ALREADY. */
TGRT_API tgrt_status tgrt_register_cpu_kernel(tgrt_runtime runtime,
                                              const char *name,
                                              tgrt_kernel_fn fn,
                                              void *user_data);
/* Registers a GPU kernel: a host function that enqueues its work on
 * ctx->stream (CUDA mode), or whose body is the device work (emulated mode). */
TGRT_API tgrt_status tgrt_register_gpu_kernel(tgrt_runtime runtime,
                                              const char *name,
                                              tgrt_kernel_fn fn,
                                              void *user_data, uint32_t flags);

/*===--- Graph building ---------------------------------------------------===*/

typedef enum tgrt_proc_kind {
  TGRT_PROC_CPU = 0,   /* index = worker */
  TGRT_PROC_GPU = 1,   /* index = gpu, stream = compute stream */
  TGRT_PROC_COPY = 2,  /* index = gpu, stream = copy stream */
  TGRT_PROC_INLINE = 3 /* joins: run by whoever satisfies the last dependence */
} tgrt_proc_kind;

typedef enum tgrt_dep_kind {
  TGRT_DEP_HOST = 0,  /* the successor waits for full completion */
  TGRT_DEP_DEVICE = 1 /* stream-ordered op -> stream-ordered op on the
                         streams of one GPU: issue after the predecessor is
                         issued (runahead). Between any other two nodes
                         finalize refuses it (never demoted to host). */
} tgrt_dep_kind;

typedef enum tgrt_mem_kind {
  TGRT_MEM_HOST = 0,
  TGRT_MEM_DEVICE = 1
} tgrt_mem_kind;

typedef enum tgrt_pred_mode {
  TGRT_PRED_WAIT = 0,   /* the host resolves the predicate before issue */
  TGRT_PRED_GUARDED = 1 /* issued early; the stream checks it when it runs.
                           Only for stream-ordered tasks on a GPU stream. */
} tgrt_pred_mode;

/* Node ids are dense and 0-based in creation order; predicate ids likewise. */
TGRT_API tgrt_status tgrt_graph_create(tgrt_runtime runtime, const char *name,
                                       tgrt_graph *out_graph);
/* Waits for the graph's replays in flight, then frees it. Safe while other
 * threads call tgrt_graph_replay (or any graph call) on it: a call that
 * began before the destroy finishes first, and its replay is waited for;
 * a call that comes later is refused with TGRT_ERROR_INVALID_HANDLE. A
 * second destroy of the same handle is refused likewise. */
TGRT_API tgrt_status tgrt_graph_destroy(tgrt_graph graph);

/* Per-replay parameters: values passed to every tgrt_graph_replay that patch
 * task arguments and copy pointers. */
TGRT_API tgrt_status tgrt_graph_set_num_params(tgrt_graph graph,
                                               uint32_t num_params);

/* A task running `kernel` on a processor, producing `num_results` values. */
TGRT_API tgrt_status tgrt_graph_add_task(tgrt_graph graph, const char *kernel,
                                         int32_t proc_kind, uint32_t proc_index,
                                         uint32_t stream, uint32_t num_results,
                                         uint32_t *out_node);
/* Appends an argument to a task: an immediate word, a per-replay parameter,
 * or a result value of another task (adds an implicit host dependence). */
TGRT_API tgrt_status tgrt_graph_add_arg(tgrt_graph graph, uint32_t node,
                                        uint64_t bits);
TGRT_API tgrt_status tgrt_graph_add_arg_param(tgrt_graph graph, uint32_t node,
                                              uint32_t param);
TGRT_API tgrt_status tgrt_graph_add_arg_value(tgrt_graph graph, uint32_t node,
                                              uint32_t producer,
                                              uint32_t result);
/* Sets the value a result takes when the task does not run (predicate false
 * or poisoned). Default 0. */
TGRT_API tgrt_status tgrt_graph_set_else_value(tgrt_graph graph, uint32_t node,
                                               uint32_t result, uint64_t bits);
/* A copy of `bytes` bytes from src+src_offset to dst+dst_offset, on a CPU
 * worker (host<->host), a copy stream or a GPU stream. */
TGRT_API tgrt_status tgrt_graph_add_copy(tgrt_graph graph, int32_t proc_kind,
                                         uint32_t proc_index, uint32_t stream,
                                         void *dst, int32_t dst_mem,
                                         uint64_t dst_offset, const void *src,
                                         int32_t src_mem, uint64_t src_offset,
                                         uint64_t bytes, uint32_t *out_node);
/* Takes a copy's dst (which = 0) or src (which = 1) base pointer from a
 * per-replay parameter instead (a buffer bound per replay). */
TGRT_API tgrt_status tgrt_graph_copy_bind_param(tgrt_graph graph, uint32_t node,
                                                int32_t which, uint32_t param);
/* A pure merge point (no work). */
TGRT_API tgrt_status tgrt_graph_add_join(tgrt_graph graph, uint32_t *out_node);
TGRT_API tgrt_status tgrt_graph_set_node_name(tgrt_graph graph, uint32_t node,
                                              const char *name);
/* `succ` waits for `pred`. Duplicates are allowed; cycles fail finalize. */
TGRT_API tgrt_status tgrt_graph_add_dep(tgrt_graph graph, uint32_t pred,
                                        uint32_t succ, int32_t kind);

/* Predicates. */
TGRT_API tgrt_status tgrt_graph_pred_const(tgrt_graph graph, int32_t value,
                                           uint32_t *out_pred);
/* True when result `result` (an i1 stored as a word; nonzero = true) of
 * `producer` is true. */
TGRT_API tgrt_status tgrt_graph_pred_from_value(tgrt_graph graph,
                                                uint32_t producer,
                                                uint32_t result,
                                                uint32_t *out_pred);
TGRT_API tgrt_status tgrt_graph_pred_not(tgrt_graph graph, uint32_t pred,
                                         uint32_t *out_pred);
TGRT_API tgrt_status tgrt_graph_pred_and(tgrt_graph graph, uint32_t lhs,
                                         uint32_t rhs, uint32_t *out_pred);
TGRT_API tgrt_status tgrt_graph_pred_or(tgrt_graph graph, uint32_t lhs,
                                        uint32_t rhs, uint32_t *out_pred);
/* Runs `node` (task or copy) only if `pred` is true; when false it does
 * nothing, its results take their else values and it still completes after
 * its dependences. GUARDED is for a task on a GPU stream whose kernel is
 * TGRT_KERNEL_STREAM_ORDERED (with CUDA it must test *ctx->guard_device);
 * the same rule holds with emulated streams, so that an emulated run
 * predicts a CUDA run. finalize refuses GUARDED anywhere else (a copy, a CPU
 * task, a kernel that is not stream-ordered) with
 * TGRT_ERROR_INVALID_ARGUMENT, naming the node; it never falls back to WAIT. */
TGRT_API tgrt_status tgrt_graph_set_predicate(tgrt_graph graph, uint32_t node,
                                              uint32_t pred, int32_t mode);

/* The compiler's schedule. A graph whose tasks and copies all have a queue
 * position runs each processor's queue in that order: `pos` is the node's
 * 0-based position among the tasks and copies placed on the same processor
 * (positions of one processor are 0..k-1, each once). finalize checks that
 * the queues and the dependences (explicit and implicit) together are
 * acyclic and refuses the graph otherwise with TGRT_ERROR_CYCLE, naming the
 * ops ("the queue of cpu 0 puts 'b' before 'a', which it depends on"); it
 * never reorders. Joins have no queue. When no node has a position,
 * finalize computes the queues itself (a topological order); giving
 * positions to some tasks and copies but not all, a position twice on one
 * processor, or a gap is refused with TGRT_ERROR_INVALID_ARGUMENT. */
TGRT_API tgrt_status tgrt_graph_set_queue_pos(tgrt_graph graph, uint32_t node,
                                              uint32_t pos);
/* Declares how many distinct nodes `node` depends on through
 * tgrt_graph_add_dep (the compiler's dependency count: a dependence added
 * twice counts once; implicit ones from value arguments and predicates do
 * not count); finalize refuses the graph with TGRT_ERROR_INVALID_ARGUMENT
 * when the dependences added disagree, naming the node and both numbers. */
TGRT_API tgrt_status tgrt_graph_expect_deps(tgrt_graph graph, uint32_t node,
                                            uint32_t count);

/* Freezes the graph: checks it (cycles, placements, predicates, the given
 * schedule and dependence kinds: a device dependence or a guarded predicate
 * that cannot be honoured is refused with TGRT_ERROR_INVALID_ARGUMENT, never
 * demoted), builds the per-processor queues (in the given order, or a
 * computed topological one) and the counters. A refused graph stays a
 * builder: it can be destroyed, not replayed. */
TGRT_API tgrt_status tgrt_graph_finalize(tgrt_graph graph);
TGRT_API tgrt_status tgrt_graph_num_nodes(tgrt_graph graph,
                                          uint32_t *out_num_nodes);

/*===--- Graph programs ---------------------------------------------------===*/

/* A graph program is the sequence of graph-building calls that would come
 * between tgrt_graph_create and tgrt_graph_finalize, as a sequence of
 * numbers: the first is TGRT_PROGRAM_VERSION, then per call an opcode
 * followed by the call's operands in order, without the graph and the out
 * pointer (node and predicate ids are assigned in creation order, as with
 * the calls). Names are byte offsets into `strings` (each NUL-terminated
 * inside it); the pointers of ADD_COPY must be 0 (bind them with
 * COPY_BIND_PARAM). convert-tgraph-to-runtime emits one program per graph,
 * so instantiating a graph of a million ops is a loop here, not a million
 * calls of straight-line code (slow to compile). */
/* Each number is stored as unsigned LEB128 (7 bits per byte, low bits
 * first, the high bit set on every byte but the last), so the small ids,
 * kinds and opcodes that make up most of a program take a byte or three
 * instead of eight. 32-bit operands are zero-extended. Opcodes are
 * append-only; any change to an existing opcode's operands bumps the
 * version. Version 1 stored every number as a 64-bit word. */
#define TGRT_PROGRAM_VERSION 2
typedef enum tgrt_program_op {
  TGRT_OP_SET_NUM_PARAMS = 1,   /* num_params */
  TGRT_OP_ADD_TASK = 2,         /* kernel, proc_kind, proc_index, stream,
                                   num_results */
  TGRT_OP_ADD_ARG = 3,          /* node, bits */
  TGRT_OP_ADD_ARG_PARAM = 4,    /* node, param */
  TGRT_OP_ADD_ARG_VALUE = 5,    /* node, producer, result */
  TGRT_OP_SET_ELSE_VALUE = 6,   /* node, result, bits */
  TGRT_OP_ADD_COPY = 7,         /* proc_kind, proc_index, stream, dst (0),
                                   dst_mem, dst_offset, src (0), src_mem,
                                   src_offset, bytes */
  TGRT_OP_COPY_BIND_PARAM = 8,  /* node, which, param */
  TGRT_OP_ADD_JOIN = 9,         /* (no operand) */
  TGRT_OP_SET_NODE_NAME = 10,   /* node, name */
  TGRT_OP_ADD_DEP = 11,         /* pred, succ, kind */
  TGRT_OP_PRED_CONST = 12,      /* value */
  TGRT_OP_PRED_FROM_VALUE = 13, /* producer, result */
  TGRT_OP_PRED_NOT = 14,        /* pred */
  TGRT_OP_PRED_AND = 15,        /* lhs, rhs */
  TGRT_OP_PRED_OR = 16,         /* lhs, rhs */
  TGRT_OP_SET_PREDICATE = 17,   /* node, pred, mode */
  TGRT_OP_SET_QUEUE_POS = 18,   /* node, pos */
  TGRT_OP_EXPECT_DEPS = 19      /* node, count */
} tgrt_program_op;

/* Creates a graph named `name`, runs `program` (program_size bytes) on it
 * and finalizes it. On any error the graph is destroyed, *out_graph is NULL
 * and the message names the byte and the call that failed. */
TGRT_API tgrt_status tgrt_graph_build(tgrt_runtime runtime, const char *name,
                                      const uint8_t *program,
                                      uint64_t program_size,
                                      const char *strings,
                                      uint64_t strings_size,
                                      tgrt_graph *out_graph);

/*===--- Replay -----------------------------------------------------------===*/

/* Queues one replay and returns at once. Nothing of it starts before every
 * precondition event has triggered, nor before the previous replay of this
 * graph has completed. `params` has exactly the graph's num_params words.
 * `out_done` (may be NULL) receives a new event that triggers when every op's
 * host and device work is done; release it with tgrt_event_release. */
TGRT_API tgrt_status tgrt_graph_replay(tgrt_graph graph,
                                       const tgrt_event *preconditions,
                                       uint32_t num_preconditions,
                                       const uint64_t *params,
                                       uint32_t num_params,
                                       tgrt_event *out_done);
/* Waits until no replay of the graph is queued or running. */
TGRT_API tgrt_status tgrt_graph_wait_idle(tgrt_graph graph);
/* Reads result `result` of task `node` as left by the last completed replay. */
TGRT_API tgrt_status tgrt_graph_get_result(tgrt_graph graph, uint32_t node,
                                           uint32_t result, uint64_t *out_bits);

/* Introspection (tests, debuggers): *out_issued = 1 once `node` of the
 * replay now running has been issued to its stream (or run, for CPU nodes
 * and joins); reset when the next replay starts. */
TGRT_API tgrt_status tgrt_graph_node_issued(tgrt_graph graph, uint32_t node,
                                            int32_t *out_issued);

/* Device graphs. A graph whose every node is a stream-ordered task or a copy
 * on the streams of one GPU, with only device dependences and no wait-mode
 * predicate or task-value argument, is issued by one host thread in
 * topological order. If moreover all its kernels are TGRT_KERNEL_CAPTURABLE,
 * the second replay with unchanged parameters records the issue into a
 * device graph (CUDA graph; an op list with emulated streams), and later
 * replays with those parameters launch it: one launch per replay instead of
 * one per node. A failed recording falls back to issuing, for good.
 * Tracing replays issue node by node. Enabled by default. Either call also
 * drops a recording already made (from the next replay on): call it when
 * state that capturable kernels read outside their arguments has changed.
 * Safe while replays are in flight. */
TGRT_API tgrt_status tgrt_graph_set_capture(tgrt_graph graph, int32_t enabled);
/* *out_captured = 1 if the last completed replay (the one whose completion
 * event triggered last) ran as a device graph. */
TGRT_API tgrt_status tgrt_graph_last_replay_captured(tgrt_graph graph,
                                                     int32_t *out_captured);

/* A time limit for each replay of the graph, from its start (after its
 * preconditions and the previous replay), in nanoseconds; 0 (the default)
 * means none. Applies to replays that start after the call; may be called
 * at any time. A replay past its limit completes at once (within about a
 * millisecond) as failed: its event gives TGRT_ERROR_TASK_FAILED with a
 * message saying it timed out and naming the tasks still inside their
 * kernel functions. A running task cannot be stopped: it keeps its worker
 * or stream, and until it returns (and the replay finishes) the graph
 * refuses tgrt_graph_replay, and tgrt_graph_wait_idle, get_result,
 * set_tracing, write_trace, tgrt_graph_destroy and tgrt_runtime_destroy
 * return TGRT_ERROR_INVALID_STATE naming the stuck tasks instead of
 * waiting (the handles stay valid: call again once the task returned).
 * With a limit set each kernel call marks itself running (two stores); a
 * graph without one pays nothing. */
TGRT_API tgrt_status tgrt_graph_set_replay_timeout(tgrt_graph graph,
                                                   uint64_t timeout_ns);

/* Tracing: when enabled, each replay records host and device spans;
 * tgrt_graph_write_trace writes the last completed replay as Chrome-trace
 * JSON (load it in chrome://tracing or ui.perfetto.dev). */
/* set_tracing waits until the graph is idle; if another thread starts a
 * replay meanwhile it fails with TGRT_ERROR_INVALID_STATE. */
TGRT_API tgrt_status tgrt_graph_set_tracing(tgrt_graph graph, int32_t enabled);
TGRT_API tgrt_status tgrt_graph_write_trace(tgrt_graph graph, const char *path);

/*===--- Events -----------------------------------------------------------===*/

/* A user event, triggered with tgrt_event_trigger (external preconditions). */
TGRT_API tgrt_status tgrt_event_create(tgrt_runtime runtime,
                                       tgrt_event *out_event);
/* Only events made by tgrt_event_create can be triggered (either way); a
 * replay's completion event is refused with TGRT_ERROR_INVALID_ARGUMENT. */
TGRT_API tgrt_status tgrt_event_trigger(tgrt_event event);
/* Triggers the event as failed: replays waiting on it run nothing and fail. */
TGRT_API tgrt_status tgrt_event_trigger_failed(tgrt_event event,
                                               const char *message);
/* TGRT_OK if triggered, TGRT_ERROR_NOT_READY if not yet,
 * TGRT_ERROR_TASK_FAILED (message in tgrt_last_error) if it failed. */
TGRT_API tgrt_status tgrt_event_query(tgrt_event event);
/* Blocks until triggered; returns like tgrt_event_query. */
TGRT_API tgrt_status tgrt_event_wait(tgrt_event event);
TGRT_API tgrt_status tgrt_event_wait_timeout(tgrt_event event,
                                             uint64_t timeout_ns);
/* Drops the caller's reference; the handle is invalid afterwards. */
TGRT_API tgrt_status tgrt_event_release(tgrt_event event);

#ifdef __cplusplus
}
#endif

#endif /* TGRAPH_RUNTIME_TGRT_H */
