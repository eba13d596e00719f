"""PyTorch side of bench/train: the same MLP, optimiser, batch size and data as the TypeScript run.

Usage: torch_mlp.py DATA_FILE ROWS FEATURES EPOCHS THREADS
Prints one JSON line per epoch: {"epoch": n, "seconds": s, "samples_per_second": r}.
"""
import json
import sys
import time

import numpy as np
import torch

path, rows, features, epochs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(threads)
torch.manual_seed(1)
raw = np.fromfile(path, dtype=np.float32, count=rows * features)
labels = np.fromfile(path, dtype=np.int32, offset=rows * features * 4, count=rows)
x = torch.from_numpy(raw.reshape(rows, features).copy())
y = torch.from_numpy(labels.astype(np.int64))

model = torch.nn.Sequential(
    torch.nn.Linear(features, 64), torch.nn.ReLU(), torch.nn.Dropout(0.2),
    torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Dropout(0.2),
    torch.nn.Linear(32, 3),
)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
batch = 256
model.train()
for epoch in range(epochs):
    start = time.perf_counter()
    order = torch.randperm(rows)
    for i in range(0, rows, batch):
        index = order[i:i + batch]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[index]), y[index])
        loss.backward()
        optimizer.step()
    seconds = time.perf_counter() - start
    print(json.dumps({"epoch": epoch + 1, "seconds": seconds, "samples_per_second": rows / seconds}), flush=True)
