"""A small numpy BERT encoder for sentence embeddings (all-MiniLM-L6-v2), no PyTorch.

Requires: a sentence-transformers model folder holding ``model.safetensors`` (a BERT encoder),
``config.json``, ``tokenizer.json`` and, optionally, ``sentence_bert_config.json`` (its
``max_seq_length``, else 256) and ``1_Pooling/config.json`` (only mean pooling is supported).
Assigns: nothing; ``SentenceEncoder.encode(texts)`` returns one L2-normalized float32 row per
text, the embedding sentence-transformers gives for the same model.

What it computes, as ``transformers``' ``BertModel`` does in eval mode: word + position +
token-type embeddings and LayerNorm; per layer, multi-head self-attention over the unpadded
tokens, a residual LayerNorm, a GELU feed-forward block and another residual LayerNorm; then
the mean of the last hidden states over the real tokens, L2-normalized. GELU is the exact
``x * (1 + erf(x / sqrt 2)) / 2`` form (not the tanh one); numpy has no ``erf``, so it is
computed with Abramowitz & Stegun's formula 7.1.26 (absolute error under 1.5e-7; under 5e-7
as evaluated in float32, the size of float32 rounding of the activations). Texts are
tokenized one by one (no tokenizer thread pool, so the encoder is safe to use in forked RQ
work horses), truncated to ``max_seq_length`` tokens with ``[CLS]`` and ``[SEP]``, sorted by
length and run in batches of similar length, so little padding is computed. BLAS runs on
one thread while encoding (``threads``): on 2 shared cores OpenBLAS's second thread mostly
waits, and a short text took 5x longer with it; a busy service scales by worker processes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController

Array = NDArray[np.float32]

DEFAULT_MAX_SEQ_LENGTH = 256
_ERF_P = 0.3275911
_ERF_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
_MASKED = np.float32(-1e9)  # added to attention scores of padding tokens


@dataclass(frozen=True)
class _Layer:
    qkv: Array  # (hidden, 3 * hidden): query, key and value projections side by side
    qkv_bias: Array
    attn_out: Array  # (hidden, hidden)
    attn_out_bias: Array
    attn_norm: tuple[Array, Array]
    ffn_in: Array  # (hidden, intermediate)
    ffn_in_bias: Array
    ffn_out: Array  # (intermediate, hidden)
    ffn_out_bias: Array
    ffn_norm: tuple[Array, Array]


def erf(x: Array) -> Array:
    """The error function, elementwise (Abramowitz & Stegun 7.1.26; |error| < 5e-7 in float32)."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + _ERF_P * a)
    poly = t * (_ERF_A[0] + t * (_ERF_A[1] + t * (_ERF_A[2] + t * (_ERF_A[3] + t * _ERF_A[4]))))
    return (sign * (1.0 - poly * np.exp(-a * a))).astype(np.float32, copy=False)


def gelu(x: Array) -> Array:
    """BERT's GELU: ``x * (1 + erf(x / sqrt(2))) / 2``."""
    return (0.5 * x * (1.0 + erf(x * np.float32(1 / np.sqrt(2))))).astype(np.float32, copy=False)


def layer_norm(x: Array, norm: tuple[Array, Array], eps: float) -> Array:
    """LayerNorm over the last axis with weight and bias ``norm``."""
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + np.float32(eps)) * norm[0] + norm[1]


def softmax(x: Array) -> Array:
    """Softmax over the last axis, in place on ``x``."""
    x -= x.max(axis=-1, keepdims=True)
    np.exp(x, out=x)
    x /= x.sum(axis=-1, keepdims=True)
    return x


class SentenceEncoder:
    """A BERT encoder with mean pooling and L2 normalization, in numpy float32."""

    def __init__(self, folder: str | Path, *, batch_size: int = 32,
                 max_batch_tokens: int = 8192, threads: int | None = 1) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = Path(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        _check_pooling(folder)
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.max_seq_length = min(_max_seq_length(folder),
                                  int(config["max_position_embeddings"]))
        self.batch_size = batch_size
        self.max_batch_tokens = max_batch_tokens
        self.threads = threads  # BLAS threads while encoding; None leaves the library's own
        weights = {k.removeprefix("bert."): v
                   for k, v in load_file(str(folder / "model.safetensors")).items()}
        self.word = _f32(weights["embeddings.word_embeddings.weight"])
        self.position = _f32(weights["embeddings.position_embeddings.weight"])
        self.token_type = _f32(weights["embeddings.token_type_embeddings.weight"][0])
        self.embed_norm = _norm(weights, "embeddings.LayerNorm")
        self.layers = [_layer(weights, f"encoder.layer.{i}")
                       for i in range(int(config["num_hidden_layers"]))]
        self.dimension = int(self.word.shape[1])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_seq_length)

    def token_ids(self, text: str) -> list[int]:
        """The text's token ids, ``[CLS]`` and ``[SEP]`` included, truncated."""
        return list(self.tokenizer.encode(text).ids)

    def encode(self, texts: Sequence[str]) -> Array:
        """One L2-normalized embedding row per text, in the order given."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        ids = [self.token_ids(text) for text in texts]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        with _blas_threads(self.threads):
            self._encode_sorted(ids, order, out)
        return out

    def _encode_sorted(self, ids: list[list[int]], order: list[int], out: Array) -> None:
        """Encode ``ids`` in batches of similar length, in ``order``, into the rows of ``out``."""
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and end - start < self.batch_size:
                longest = len(ids[order[end]])
                if (end - start + 1) * longest > self.max_batch_tokens:
                    break
                end += 1
            batch = order[start:end]
            out[batch] = self._encode_batch([ids[i] for i in batch])
            start = end

    def _encode_batch(self, batch: list[list[int]]) -> Array:
        length = max(len(ids) for ids in batch)
        token_ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, ids in enumerate(batch):
            token_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0
        x = self.word[token_ids] + self.position[:length] + self.token_type
        x = layer_norm(x, self.embed_norm, self.eps)
        bias = ((1.0 - mask) * _MASKED)[:, None, None, :]
        for layer in self.layers:
            x = self._layer(x, layer, bias)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)[:, None]
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return (pooled / norms).astype(np.float32, copy=False)

    def _layer(self, x: Array, layer: _Layer, bias: Array) -> Array:
        batch, length, hidden = x.shape
        size = hidden // self.heads
        qkv = x.reshape(-1, hidden) @ layer.qkv + layer.qkv_bias
        qkv = qkv.reshape(batch, length, 3, self.heads, size).transpose(2, 0, 3, 1, 4)
        query, key, value = qkv[0], qkv[1], qkv[2]  # each (batch, heads, length, size)
        scores = query @ key.transpose(0, 1, 3, 2)
        scores *= np.float32(1 / np.sqrt(size))
        scores += bias
        context = softmax(scores) @ value
        context = context.transpose(0, 2, 1, 3).reshape(-1, hidden)
        attended = layer_norm(context @ layer.attn_out + layer.attn_out_bias
                              + x.reshape(-1, hidden), layer.attn_norm, self.eps)
        inner = gelu(attended @ layer.ffn_in + layer.ffn_in_bias)
        out = layer_norm(inner @ layer.ffn_out + layer.ffn_out_bias + attended,
                         layer.ffn_norm, self.eps)
        return out.reshape(batch, length, hidden)


@lru_cache(maxsize=2)
def load_encoder(folder: str) -> SentenceEncoder:
    """The encoder of a model folder, loaded once per process."""
    return SentenceEncoder(folder)


@contextmanager
def _blas_threads(threads: int | None) -> Iterator[None]:
    if threads is None:
        yield
        return
    with _threadpools().limit(limits=threads, user_api="blas"):
        yield


@lru_cache(maxsize=1)
def _threadpools() -> ThreadpoolController:
    return ThreadpoolController()


def _f32(array: NDArray[np.generic]) -> Array:
    return np.ascontiguousarray(array, dtype=np.float32)


def _norm(weights: dict[str, NDArray[np.generic]], name: str) -> tuple[Array, Array]:
    return _f32(weights[f"{name}.weight"]), _f32(weights[f"{name}.bias"])


def _linear(weights: dict[str, NDArray[np.generic]], name: str) -> tuple[Array, Array]:
    """A dense layer's weight transposed (so ``x @ w`` applies it) and its bias."""
    return _f32(weights[f"{name}.weight"].T), _f32(weights[f"{name}.bias"])


def _layer(weights: dict[str, NDArray[np.generic]], prefix: str) -> _Layer:
    parts = [_linear(weights, f"{prefix}.attention.self.{p}") for p in ("query", "key", "value")]
    attn_out, attn_out_bias = _linear(weights, f"{prefix}.attention.output.dense")
    ffn_in, ffn_in_bias = _linear(weights, f"{prefix}.intermediate.dense")
    ffn_out, ffn_out_bias = _linear(weights, f"{prefix}.output.dense")
    return _Layer(
        qkv=_f32(np.concatenate([w for w, _ in parts], axis=1)),
        qkv_bias=_f32(np.concatenate([b for _, b in parts])),
        attn_out=attn_out, attn_out_bias=attn_out_bias,
        attn_norm=_norm(weights, f"{prefix}.attention.output.LayerNorm"),
        ffn_in=ffn_in, ffn_in_bias=ffn_in_bias, ffn_out=ffn_out, ffn_out_bias=ffn_out_bias,
        ffn_norm=_norm(weights, f"{prefix}.output.LayerNorm"),
    )


def _max_seq_length(folder: Path) -> int:
    path = folder / "sentence_bert_config.json"
    if not path.is_file():
        return DEFAULT_MAX_SEQ_LENGTH
    config = json.loads(path.read_text(encoding="utf-8"))
    return int(config.get("max_seq_length") or DEFAULT_MAX_SEQ_LENGTH)


def _check_pooling(folder: Path) -> None:
    path = folder / "1_Pooling" / "config.json"
    if not path.is_file():
        return
    config = json.loads(path.read_text(encoding="utf-8"))
    if not config.get("pooling_mode_mean_tokens", True) or any(
            config.get(mode) for mode in ("pooling_mode_cls_token", "pooling_mode_max_tokens",
                                          "pooling_mode_mean_sqrt_len_tokens")):
        raise ValueError(f"{folder}: only mean pooling is supported")
