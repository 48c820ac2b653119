# A torch.hub repository the tables do not know is no evidence of a non-casting backbone
# (NVlabs/RADIO casts its own input; a local checkout could be anything).
import torch

radio = torch.hub.load("NVlabs/RADIO", "radio_model", version="radio_v2.5-b").cuda().eval()
local = torch.hub.load("./third_party/encoder", "build", source="local").cuda()
x = torch.load("batch.pt").cuda().bfloat16()
radio(x)
local(x)
